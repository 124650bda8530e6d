package dev.jobqueue.contract;

import static dev.jobqueue.contract.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.Backoff;
import dev.jobqueue.BatchHandler;
import dev.jobqueue.Job;
import dev.jobqueue.JobState;
import dev.jobqueue.JobStatus;
import dev.jobqueue.Queue;
import dev.jobqueue.QueueListener;
import dev.jobqueue.spi.Storage;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Behaviour of batch handlers ({@code Queue.Builder.batchHandler}) end to end over a storage:
 * batch sizes and maxWait, per-job outcomes (partial failure retried by the queue's policy), a
 * thrown exception, jobs left without an outcome, lease extension while a batch runs, waiters and
 * listener events. Every storage runs it by subclassing and implementing {@link #createStorage(Clock)}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class BatchHandlerBehaviourContract extends QueueContractSupport {

    private Storage storage;
    private String name;

    @BeforeEach
    void create() {
        storage = newStorage(Clock.systemUTC());
        name = "batch-" + UUID.randomUUID().toString().substring(0, 8);
    }


    private Queue<String, String> producer() {
        Queue<String, String> q = Queue.builder(storage, String.class, String.class).name(name).build();
        track(q);
        return q;
    }

    private Queue<String, String> batches(BatchHandler<String, String> handler, int maxJobs, Duration maxWait,
                                          QueueListener listener) {
        Queue.Builder<String, String> b = Queue.builder(storage, String.class, String.class).name(name)
                .backoff(Backoff.none()).closeOnJvmShutdown(false).batchHandler(handler, maxJobs, maxWait);
        if (listener != null) {
            b.listener(listener);
        }
        Queue<String, String> q = b.build();
        track(q);
        q.start();
        return q;
    }

    private static void completeAll(dev.jobqueue.Batch<String, String> batch) {
        for (Job<String> job : batch.jobs()) {
            batch.complete(job, "done:" + job.payload());
        }
    }

    private static JobStatus<String> status(Queue<String, String> q, String id) {
        return q.status(id).orElseThrow(() -> new AssertionError("no job " + id));
    }

    @Test
    void claimsUpToMaxJobsPerBatchAndCompletesThemTogether() throws InterruptedException {
        Queue<String, String> p = producer();
        for (int i = 0; i < 25; i++) {
            p.enqueue("j" + i, "p" + i);
        }
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        AtomicInteger completedEvents = new AtomicInteger();
        batches(batch -> {
            sizes.add(batch.jobs().size());
            completeAll(batch);
        }, 10, Duration.ofSeconds(2), new QueueListener() {
            @Override
            public void completed(String jobId, int attempt) {
                completedEvents.incrementAndGet();
            }
        });
        await("25 completed", () -> p.counts().get(JobState.COMPLETED) == 25);
        assertEquals(List.of(10, 10, 5), sizes);
        assertEquals("done:p7", p.result("j7").orElseThrow());
        await("listener told of every job", () -> completedEvents.get() == 25);
        // waiters of a batched job are answered like for a single handler
        assertEquals("done:w", p.enqueueAndWait("w", "w", Duration.ofSeconds(20)));
    }

    @Test
    void aBatchWithFewerJobsWaitsUpToMaxWaitForMore() throws InterruptedException {
        List<List<String>> seen = new CopyOnWriteArrayList<>();
        Queue<String, String> p = producer();
        batches(batch -> {
            seen.add(batch.jobs().stream().map(Job::id).toList());
            completeAll(batch);
        }, 100, Duration.ofSeconds(3), null);
        p.enqueue("first", "a");
        Thread.sleep(200); // the first job is claimed; the batch waits for more
        p.enqueue("second", "b");
        await("both completed", () -> p.counts().get(JobState.COMPLETED) == 2);
        assertEquals(List.of(List.of("first", "second")), seen, "one batch held both jobs");
    }

    @Test
    void maxWaitZeroRunsWhatOneClaimFound() {
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        Queue<String, String> p = producer();
        batches(batch -> {
            sizes.add(batch.jobs().size());
            completeAll(batch);
        }, 100, Duration.ZERO, null);
        p.enqueue("only", "a");
        await("completed", () -> p.counts().get(JobState.COMPLETED) == 1);
        assertEquals(List.of(1), sizes);
    }

    @Test
    void perJobFailuresAreRetriedByTheQueuePolicyWhileTheOthersComplete() {
        Queue<String, String> p = Queue.builder(storage, String.class, String.class).name(name).maxAttempts(2).build();
        track(p);
        for (int i = 0; i < 4; i++) {
            p.enqueue("j" + i, "p" + i);
        }
        List<String> attempts = new CopyOnWriteArrayList<>();
        batches(batch -> {
            for (Job<String> job : batch.jobs()) {
                attempts.add(job.id() + "#" + job.attempt());
                if (Integer.parseInt(job.id().substring(1)) % 2 == 0) {
                    batch.complete(job, "ok");
                } else {
                    batch.fail(job, new IllegalStateException("odd " + job.id()));
                }
            }
        }, 10, Duration.ofMillis(200), null);
        await("settled", () -> p.counts().get(JobState.COMPLETED) == 2 && p.counts().get(JobState.FAILED) == 2);
        assertEquals(JobState.COMPLETED, status(p, "j0").state());
        assertEquals(1, status(p, "j0").attempts());
        JobStatus<String> odd = status(p, "j1");
        assertEquals(2, odd.attempts(), "retried once by the queue's maxAttempts");
        assertTrue(odd.error().message().contains("odd j1"), odd.error().message());
        assertTrue(attempts.contains("j3#2"));
    }

    @Test
    void aThrownExceptionFailsEveryJobWithoutAnOutcomeAndEachIsRetried() {
        Queue<String, String> p = producer();
        for (int i = 0; i < 3; i++) {
            p.enqueue("j" + i, "p" + i);
        }
        AtomicInteger calls = new AtomicInteger();
        batches(batch -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("bulk write failed");
            }
            completeAll(batch);
        }, 10, Duration.ofMillis(300), null);
        await("completed on retry", () -> p.counts().get(JobState.COMPLETED) == 3);
        for (int i = 0; i < 3; i++) {
            assertEquals(2, status(p, "j" + i).attempts());
        }
    }

    @Test
    void aThrownExceptionAfterTheLastAttemptFailsTheJobsWithItsMessage() {
        Queue<String, String> p = Queue.builder(storage, String.class, String.class).name(name).maxAttempts(1).build();
        track(p);
        p.enqueue("a", "x");
        batches(batch -> {
            throw new IllegalStateException("bulk write failed");
        }, 10, Duration.ZERO, null);
        await("failed", () -> p.counts().get(JobState.FAILED) == 1);
        assertTrue(status(p, "a").error().message().contains("bulk write failed"));
    }

    @Test
    void aJobLeftWithoutAnOutcomeFailsWithAClearError() {
        Queue<String, String> p = Queue.builder(storage, String.class, String.class).name(name).maxAttempts(1).build();
        track(p);
        p.enqueue("done", "x");
        p.enqueue("forgotten", "y");
        batches(batch -> {
            for (Job<String> job : batch.jobs()) {
                if (job.id().equals("done")) {
                    batch.complete(job, "ok");
                }
            }
        }, 10, Duration.ofMillis(300), null);
        await("settled", () -> p.counts().get(JobState.FAILED) == 1 && p.counts().get(JobState.COMPLETED) == 1);
        String message = status(p, "forgotten").error().message();
        assertTrue(message.contains("without an outcome for job forgotten"), message);
    }

    @Test
    void outcomesAreReportedOncePerJobOfTheBatch() {
        Queue<String, String> p = producer();
        p.enqueue("a", "x");
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        batches(batch -> {
            Job<String> job = batch.jobs().get(0);
            batch.complete(job, "first");
            errors.add(assertThrows(IllegalStateException.class, () -> batch.complete(job, "second")));
            errors.add(assertThrows(IllegalStateException.class, () -> batch.fail(job, new RuntimeException())));
            errors.add(assertThrows(IllegalArgumentException.class, () -> batch.fail(job, null)));
        }, 10, Duration.ZERO, null);
        await("completed", () -> p.counts().get(JobState.COMPLETED) == 1);
        assertEquals("first", p.result("a").orElseThrow());
        assertEquals(3, errors.size());
    }

    @Test
    void leasesOfTheWholeBatchAreExtendedWhileItRuns() throws InterruptedException {
        Queue<String, String> p = producer();
        p.enqueue("a", "x");
        p.enqueue("b", "y");
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Queue<String, String> q = Queue.builder(storage, String.class, String.class).name(name)
                .visibilityTimeout(Duration.ofMillis(600)).closeOnJvmShutdown(false)
                .batchHandler(batch -> {
                    running.countDown();
                    assertTrue(release.await(30, TimeUnit.SECONDS));
                    completeAll(batch);
                }, 10, Duration.ofMillis(200)).build();
        track(q);
        q.start();
        assertTrue(running.await(20, TimeUnit.SECONDS));
        Thread.sleep(2_000); // over three lease lengths
        assertEquals(List.of(), storage.requeueExpired(name, 100), "no lease of the batch expired");
        release.countDown();
        await("completed", () -> p.counts().get(JobState.COMPLETED) == 2);
        assertEquals(1, status(p, "a").attempts());
        assertEquals(0, status(p, "b").stalls());
    }

    @Test
    void stopHandsBackTheJobsOfARunningBatchAfterTheGrace() {
        Queue<String, String> p = producer();
        p.enqueue("a", "x");
        CountDownLatch running = new CountDownLatch(1);
        Set<String> interrupted = ConcurrentHashMap.newKeySet();
        Queue<String, String> q = Queue.builder(storage, String.class, String.class).name(name)
                .closeOnJvmShutdown(false)
                .batchHandler(batch -> {
                    running.countDown();
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        interrupted.add(batch.jobs().get(0).id());
                        throw e;
                    }
                }, 10, Duration.ZERO).build();
        q.start();
        try {
            assertTrue(running.await(20, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        q.stop(Duration.ofMillis(100));
        assertEquals(Set.of("a"), interrupted);
        assertEquals(JobState.QUEUED, status(p, "a").state());
    }

    @Test
    void aQueueHasEitherAHandlerOrABatchHandler() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Queue.builder(storage, String.class, String.class).handler(job -> "x")
                        .batchHandler(batch -> { }, 10, Duration.ZERO).build());
        assertTrue(e.getMessage().contains("handler") && e.getMessage().contains("batchHandler"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Queue.builder(storage, String.class, String.class)
                .batchHandler(batch -> { }, 0, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> Queue.builder(storage, String.class, String.class)
                .batchHandler(batch -> { }, 1001, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> Queue.builder(storage, String.class, String.class)
                .batchHandler(batch -> { }, 10, Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> Queue.builder(storage, String.class, String.class)
                .batchHandler(null, 10, Duration.ZERO));
    }
}
