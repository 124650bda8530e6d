package dev.jobqueue.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobState;
import dev.jobqueue.contract.TestJobs;
import dev.jobqueue.spi.EnqueueOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue order of one thread's enqueueAsync calls holds while other threads of the process use the
 * same storage (status reads, claims): their flushes must not carry some of those calls past
 * others on another connection.
 */
class RedisAsyncOrderTest {
    private static final int JOBS = 4000;

    private String prefix;
    private RedisStorage storage;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> others = new ArrayList<>();

    @BeforeEach
    void setUp() {
        prefix = RedisTestServer.uniquePrefix();
        storage = RedisStorage.builder().uri(RedisTestServer.url()).keyPrefix(prefix).build();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        stop.set(true);
        for (Thread t : others) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
        storage.close();
        RedisTestServer.deleteKeys(prefix);
    }

    /** Threads that keep the storage's other paths busy: status reads of this queue, claims of another. */
    private void startOtherUsers() {
        for (int i = 0; i < 3; i++) {
            int n = i;
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    if (n == 0) {
                        try {
                            storage.claim("elsewhere", "w", 1, Duration.ofSeconds(30), Duration.ZERO);
                        } catch (InterruptedException e) {
                            return;
                        }
                    } else {
                        storage.status("q", "job-" + n);
                    }
                }
            }, "other-user-" + i);
            t.setDaemon(true);
            t.start();
            others.add(t);
        }
    }

    @Test
    void oneThreadsAsyncEnqueuesAreAppliedInIssueOrder() {
        startOtherUsers();
        List<String> issued = new ArrayList<>(JOBS);
        List<CompletableFuture<EnqueueOutcome>> replies = new ArrayList<>(JOBS);
        for (int i = 0; i < JOBS; i++) {
            String id = "job-" + i;
            issued.add(id);
            replies.add(storage.enqueueAsync("q", TestJobs.job(id).build()));
        }
        replies.forEach(CompletableFuture::join);

        // QUEUED jobs of one priority list in the order the enqueues were applied
        List<String> applied = storage.list("q", JobState.QUEUED, JOBS);
        assertEquals(JOBS, applied.size());
        for (int i = 0; i < JOBS; i++) {
            assertEquals(issued.get(i), applied.get(i), "position " + i + " in the ready order");
        }
    }

    @Test
    void theFirstOfTwoAsyncEnqueuesOfOneIdWins() {
        startOtherUsers();
        int ids = JOBS / 2;
        List<CompletableFuture<EnqueueOutcome>> first = new ArrayList<>(ids);
        List<CompletableFuture<EnqueueOutcome>> second = new ArrayList<>(ids);
        for (int i = 0; i < ids; i++) {
            String id = "job-" + i;
            first.add(storage.enqueueAsync("q", TestJobs.job(id).priority(1).build()));
            second.add(storage.enqueueAsync("q", TestJobs.job(id).priority(2).build()));
        }
        for (int i = 0; i < ids; i++) {
            String id = "job-" + i;
            assertTrue(first.get(i).join().created(), id + ": the first enqueue creates the job");
            assertFalse(second.get(i).join().created(), id + ": the second is a duplicate");
            assertEquals(1, storage.status("q", id).orElseThrow().priority(), id + ": the record is the first's");
        }
    }
}
