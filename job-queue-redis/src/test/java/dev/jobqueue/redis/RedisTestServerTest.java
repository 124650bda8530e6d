package dev.jobqueue.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The rule that picks the test Redis, each branch without Docker. */
class RedisTestServerTest {
    @Test
    void redisUrlFromTheEnvironmentWinsAndDockerIsNotAsked() {
        AtomicBoolean dockerAsked = new AtomicBoolean();
        String url = RedisTestServer.select(Map.of("REDIS_URL", " redis://10.1.2.3:6380 ")::get,
                () -> true, () -> dockerAsked.getAndSet(true), () -> "redis://container:1");
        assertEquals("redis://10.1.2.3:6380", url);
        assertTrue(!dockerAsked.get());
    }

    @Test
    void withoutRedisUrlTheLocalDefaultIsUsedWhenItAnswersAndDockerIsNotAsked() {
        AtomicBoolean dockerAsked = new AtomicBoolean();
        String url = RedisTestServer.select(Map.<String, String>of()::get, () -> true,
                () -> dockerAsked.getAndSet(true), () -> "redis://container:1");
        assertEquals("redis://127.0.0.1:6379", url);
        assertTrue(!dockerAsked.get());
    }

    @Test
    void withoutRedisUrlOrALocalRedisAContainerIsStartedWhenDockerAnswers() {
        String url = RedisTestServer.select(Map.<String, String>of()::get, () -> false, () -> true,
                () -> "redis://container:32768");
        assertEquals("redis://container:32768", url);
    }

    @Test
    void blankRedisUrlCountsAsUnset() {
        String url = RedisTestServer.select(Map.of("REDIS_URL", "  ")::get, () -> false, () -> true,
                () -> "redis://container:1");
        assertEquals("redis://container:1", url);
    }

    @Test
    void withNeitherTheFailureSaysHowToProvideOne() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RedisTestServer.select(Map.<String, String>of()::get, () -> false, () -> false, () -> {
                    throw new AssertionError("must not start a container");
                }));
        assertTrue(e.getMessage().contains("REDIS_URL"), e.getMessage());
        assertTrue(e.getMessage().contains("Docker"), e.getMessage());
    }
}
