package dev.jobqueue.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobState;
import dev.jobqueue.contract.TestJobs;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A caller whose thread is interrupted leaves flushing to the flusher thread (so it never spends
 * the retry window for others), yet a blocking call still gets its reply and keeps the interrupt.
 */
class RedisInterruptTest {
    @Test
    void anInterruptedCallerStillGetsItsReplyAndKeepsItsInterrupt() {
        String prefix = RedisTestServer.uniquePrefix();
        try (RedisStorage storage = RedisStorage.builder().uri(RedisTestServer.url()).keyPrefix(prefix).build()) {
            storage.enqueue("q", TestJobs.job("a").build());
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                Thread.currentThread().interrupt();
                try {
                    assertEquals(JobState.QUEUED, storage.status("q", "a").map(s -> s.state()).orElseThrow());
                    assertEquals(Optional.empty(), storage.status("q", "b"));
                    assertTrue(storage.enqueue("q", TestJobs.job("c").build()).created());
                    assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
                } finally {
                    Thread.interrupted();
                }
            });
        } finally {
            RedisTestServer.deleteKeys(prefix);
        }
    }
}
