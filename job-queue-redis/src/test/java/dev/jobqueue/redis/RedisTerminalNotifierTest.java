package dev.jobqueue.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobState;
import dev.jobqueue.contract.TestJobs;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.Subscription;
import dev.jobqueue.spi.TerminalListener;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The one pub/sub connection: listeners of many queues come and go (the last listener of the
 * only queue included) while other calls run; afterwards notifications still arrive with the
 * job's snapshot, every listener heard onResubscribed once subscribed, and pooled connections
 * still answer normally.
 */
class RedisTerminalNotifierTest {
    private final String prefix = RedisTestServer.uniquePrefix();

    @AfterEach
    void deleteKeys() {
        RedisTestServer.deleteKeys(prefix);
    }

    @Test
    void listenersComingAndGoingLeaveAWorkingSubscription() throws Exception {
        try (RedisStorage storage = RedisStorage.builder().uri(RedisTestServer.url()).keyPrefix(prefix).build()) {
            AtomicInteger resubscribed = new AtomicInteger();
            for (int i = 0; i < 100; i++) {
                Subscription s = storage.subscribe("q" + (i % 7), new TerminalListener() {
                    @Override
                    public void onTerminal(String jobId, JobSnapshot snapshot) {
                    }

                    @Override
                    public void onResubscribed() {
                        resubscribed.incrementAndGet();
                    }
                });
                assertTrue(storage.status("q" + (i % 7), "none").isEmpty());
                s.close();
                s.close(); // closing twice is harmless
            }
            assertTrue(resubscribed.get() >= 1, "listeners were told about their subscription");

            Map<String, JobSnapshot> heard = new ConcurrentHashMap<>();
            Subscription last = storage.subscribe("final", (jobId, snapshot) -> heard.put(jobId, snapshot));
            try {
                storage.enqueue("final", TestJobs.job("a").build());
                ClaimedJob c = storage.claim("final", "w", 1, Duration.ofSeconds(30), Duration.ofSeconds(5)).get(0);
                storage.complete("final", new LeaseRef("a", c.fencingToken()), "result".getBytes(), null);
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!heard.containsKey("a") && System.nanoTime() < deadline) {
                    Thread.sleep(5); // polling for the notification with a generous deadline
                }
                assertTrue(heard.containsKey("a"), "notification after listeners came and went");
                assertEquals(JobState.COMPLETED, heard.get("a").state());
                assertEquals("result", new String(heard.get("a").result()));
            } finally {
                last.close();
            }
            for (int i = 0; i < 50; i++) {
                assertTrue(storage.status("q" + i, "none").isEmpty(), "pooled connections answer normally");
            }
        }
    }
}
