package dev.jobqueue.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jobqueue.contract.TestJobs;
import dev.jobqueue.spi.JobSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * A claim resent after its reply was lost (same call, same nonce) gets the same jobs and tokens
 * back, instead of leaving them PROCESSING until their lease ends and counting a stall.
 */
class RedisClaimResendTest {
    private final String prefix = RedisTestServer.uniquePrefix();

    @AfterEach
    void deleteKeys() {
        RedisTestServer.deleteKeys(prefix);
    }

    @Test
    void resendingTheSameClaimReturnsTheSameJobsOnce() {
        try (RedisStorage storage = RedisStorage.builder().uri(RedisTestServer.url()).keyPrefix(prefix).build();
             RedisClient client = RedisClient.create(RedisTestServer.url())) {
            for (String id : List.of("a", "b", "c")) {
                storage.enqueue("q", TestJobs.job(id).build());
            }
            KeySpace keys = new KeySpace(prefix, "q");
            LuaScript claim = LuaScript.load("claim", LuaScript.resource("prelude.lua"));
            ScriptExecutor executor = new ScriptExecutor(client, "test", 1, Duration.ofSeconds(5), RedisStorage.daemonThreads("test"));
            List<byte[]> args = List.of(keys.baseBytes(), new byte[0], ascii("0"), ascii("w"), ascii("2"), ascii("30000"),
                    ascii("12345"));
            List<?> first = (List<?>) executor.execute(ScriptCall.plain(claim, keys.claimKeys(), args, null, null));
            List<?> resent = (List<?>) executor.execute(ScriptCall.plain(claim, keys.claimKeys(), args, null, null));

            assertEquals(5 + 2 * 7, first.size(), "deadline, next due, claimed-at, hold ms and kind, and two jobs (7 values each)");
            assertEquals(first.size(), resent.size());
            assertEquals(first.get(2), resent.get(2), "same claimed-at");
            for (int i = 5; i < first.size(); i += 7) {
                assertEquals(Replies.text(first.get(i)), Replies.text(resent.get(i)), "same job");
                assertEquals(first.get(i + 4), resent.get(i + 4), "same fencing token");
                assertEquals(first.get(i + 2), resent.get(i + 2), "same attempt");
            }
            JobSnapshot s = storage.status("q", "a").orElseThrow();
            assertEquals(1, s.attempts(), "claimed once");
            assertEquals(1L, storage.counts("q").get(dev.jobqueue.JobState.QUEUED), "c is still queued");
        }
    }

    @Test
    void aResentClaimUnderARateLimitCountsItsJobsOnce() throws Exception {
        try (RedisStorage storage = RedisStorage.builder().uri(RedisTestServer.url()).keyPrefix(prefix).build();
             RedisClient client = RedisClient.create(RedisTestServer.url())) {
            storage.setLimits("r", dev.jobqueue.QueueLimits.NONE.withRate(3, Duration.ofMinutes(1)));
            for (String id : List.of("a", "b", "c")) {
                storage.enqueue("r", TestJobs.job(id).build());
            }
            KeySpace keys = new KeySpace(prefix, "r");
            LuaScript claim = LuaScript.load("claim", LuaScript.resource("prelude.lua"));
            ScriptExecutor executor = new ScriptExecutor(client, "test", 1, Duration.ofSeconds(5), RedisStorage.daemonThreads("test"));
            List<byte[]> args = List.of(keys.baseBytes(), new byte[0], ascii("0"), ascii("w"), ascii("2"), ascii("30000"),
                    ascii("777"));
            List<?> first = (List<?>) executor.execute(ScriptCall.plain(claim, keys.claimKeys(), args, null, null));
            List<?> resent = (List<?>) executor.execute(ScriptCall.plain(claim, keys.claimKeys(), args, null, null));
            assertEquals(5 + 2 * 7, first.size());
            assertEquals(first.size(), resent.size(), "the same two jobs back");
            assertEquals(2L, client.zcard(keys.key("rate")), "two claims in the rate log, not four");
            assertEquals(1, storage.claim("r", "w", 5, Duration.ofSeconds(30), Duration.ZERO).size(), "one left of the rate");
            executor.close();
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
