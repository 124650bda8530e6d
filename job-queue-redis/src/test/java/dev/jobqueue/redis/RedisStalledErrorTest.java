package dev.jobqueue.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobError;
import dev.jobqueue.JobState;
import dev.jobqueue.contract.TestJobs;
import dev.jobqueue.spi.JobErrorCodec;
import dev.jobqueue.spi.StalledJob;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * The "stalled too often" error the Reaper's script writes is JobErrorCodec's encoding (one
 * encoder for every stored error): it reads back through status() and is byte for byte what the
 * codec makes of the decoded error.
 */
class RedisStalledErrorTest {
    @Test
    void theStalledErrorIsTheCodecsEncoding() throws Exception {
        String prefix = RedisTestServer.uniquePrefix();
        try (RedisStorage storage = RedisStorage.builder().uri(RedisTestServer.url()).keyPrefix(prefix).build();
             RedisClient jedis = RedisClient.create(RedisTestServer.url())) {
            storage.enqueue("q", TestJobs.job("stalls % \"odd\"").maxStalls(0).build());
            Instant before = Instant.now();
            storage.claim("q", "w-1", 1, Duration.ofMillis(20), Duration.ZERO);
            Thread.sleep(200); // the lease expires
            List<StalledJob> stalled = storage.requeueExpired("q", 10);
            Instant after = Instant.now();

            assertEquals(List.of(new StalledJob("stalls % \"odd\"", "w-1", 1, JobState.FAILED)), stalled);
            JobError error = storage.status("q", "stalls % \"odd\"").orElseThrow().error();
            assertEquals(RequeueExpiredScript.STALLED_TYPE, error.type());
            assertEquals("job stalled 1 times (maxStalls 0)", error.message());
            assertNull(error.stackTrace());
            assertNull(error.code());
            assertEquals(1, error.attempts());
            assertTrue(!error.failedAt().isBefore(before.minusSeconds(5)) && !error.failedAt().isAfter(after.plusSeconds(5)),
                    error.failedAt() + " between " + before + " and " + after);
            byte[] stored = jedis.hget(new KeySpace(prefix, "q").jobKey("stalls % \"odd\"").getBytes(StandardCharsets.UTF_8),
                    "err".getBytes(StandardCharsets.UTF_8));
            assertArrayEquals(JobErrorCodec.encode(error), stored, new String(stored, StandardCharsets.UTF_8));
        } finally {
            RedisTestServer.deleteKeys(prefix);
        }
    }
}
