package dev.jobqueue.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The builder follows the project's idiom: mutable, every setter validates at once (null
 * included) with an IllegalArgumentException naming the option, and build() makes a storage that
 * later builder changes do not affect.
 */
class RedisStorageBuilderTest {
    @Test
    void aUriWithAnotherSchemeIsRejectedExplainingWhatToUse() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RedisStorage.builder().uri("http://user:s3cret@redis.internal:6379"));
        assertTrue(e.getMessage().contains("redis://"), e.getMessage());
        assertTrue(e.getMessage().contains("rediss://"), e.getMessage());
        assertTrue(e.getMessage().contains("'http'"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), "the password must not be in the message");
    }

    @Test
    void hostColonPortWithoutASchemePointsToHostAndPort() {
        for (String bare : new String[] {"localhost:6379", "127.0.0.1:6379", "redis.internal"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RedisStorage.builder().uri(bare));
            assertTrue(e.getMessage().contains("hostAndPort(host, port)"), bare + ": " + e.getMessage());
        }
    }

    @Test
    void everyNullOrBadArgumentIsAnIllegalArgumentNamingTheOption() {
        Map<String, Consumer<RedisStorage.Builder>> bad = Map.ofEntries(
                Map.entry("uri", b -> b.uri(null)),
                Map.entry("host", b -> b.hostAndPort(null, 6379)),
                Map.entry("port", b -> b.hostAndPort("h", 0)),
                Map.entry("cluster", b -> b.cluster((String[]) null)),
                Map.entry("cluster node", b -> b.cluster("no-port")),
                Map.entry("client", b -> b.client(null)),
                Map.entry("keyPrefix", b -> b.keyPrefix(null)),
                Map.entry("keyPrefix must be non-empty", b -> b.keyPrefix("a{b")),
                Map.entry("clock", b -> b.clock(null)),
                Map.entry("tls", b -> b.tls(null)),
                Map.entry("retryWindow", b -> b.retryWindow(null)),
                Map.entry("retryWindow must be >= 0", b -> b.retryWindow(Duration.ofSeconds(-1))),
                Map.entry("pipelineConnections", b -> b.pipelineConnections(0)),
                Map.entry("poolSize", b -> b.poolSize(1)));
        bad.forEach((option, call) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> call.accept(RedisStorage.builder()), option);
            assertTrue(e.getMessage().contains(option), option + ": " + e.getMessage());
        });
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> RedisStorage.builder().build());
        assertTrue(none.getMessage().contains("uri"), none.getMessage());
    }

    @Test
    void settersNeedNoChainingAndLaterChangesDoNotAffectABuiltStorage() {
        String prefix = RedisTestServer.uniquePrefix();
        RedisStorage.Builder b = RedisStorage.builder();
        b.uri(RedisTestServer.url());
        b.keyPrefix(prefix);
        try (RedisStorage storage = b.build()) {
            b.keyPrefix("changed-later");
            assertEquals(prefix, storage.keyPrefix());
            assertTrue(storage.counts("q").values().stream().allMatch(n -> n == 0));
        }
    }
}
