package dev.jobqueue.internal;

import static dev.jobqueue.contract.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobState;
import dev.jobqueue.Queue;
import dev.jobqueue.QueueListener;
import dev.jobqueue.contract.FaultInjectingStorage;
import dev.jobqueue.memory.MemoryStorage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The worker's claim-ahead buffer and batched completions, observed through a storage wrapper. */
class ClaimAheadAndBatchedCompletionTest {
    private final MemoryStorage memory = new MemoryStorage();
    private final FaultInjectingStorage storage = new FaultInjectingStorage(memory);
    private final List<String> events = new CopyOnWriteArrayList<>();
    private Queue<String, String> queue;

    @AfterEach
    void tearDown() {
        CountDownLatch gate = storage.completeGate;
        if (gate != null) {
            gate.countDown();
        }
        storage.completeFailure = null;
        if (queue != null) {
            queue.stop(Duration.ofSeconds(10));
        }
        memory.close();
    }

    private Queue.Builder<String, String> builder() {
        return Queue.builder(storage, String.class, String.class).name("q").listener(new QueueListener() {
            @Override
            public void started(String jobId, int attempt) {
                events.add("started:" + jobId);
            }

            @Override
            public void completed(String jobId, int attempt) {
                events.add("completed:" + jobId);
            }

            @Override
            public void error(Throwable error) {
                events.add("error");
            }
        });
    }

    private long count(JobState state) {
        return queue.counts().get(state);
    }

    @Test
    void completionsOfHandlersThatFinishDuringAStorageWriteAreStoredTogetherAndReportedOnlyOnceStored() {
        storage.completeGate = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        queue = builder().concurrency(4).prefetch(0).handler(job -> {
            finished.incrementAndGet();
            return job.payload().toUpperCase();
        }).build();
        queue.start();
        for (String id : List.of("a", "b", "c", "d")) {
            queue.enqueue(id, id);
        }
        await("four handlers returned", () -> finished.get() == 4);
        assertEquals(0L, count(JobState.COMPLETED), "nothing is stored while the storage write hangs");
        assertFalse(events.stream().anyMatch(e -> e.startsWith("completed:")), "no completion reported before it is stored");

        storage.completeGate.countDown();
        await("all four completed", () -> count(JobState.COMPLETED) == 4L);
        assertEquals(4, storage.completeBatches.stream().mapToInt(Integer::intValue).sum());
        assertTrue(storage.completeBatches.size() <= 2,
                "the completions that piled up behind the first write go in one call: " + storage.completeBatches);
        assertEquals("B", queue.result("b").orElseThrow());
        await("four completed events", () -> events.stream().filter(e -> e.startsWith("completed:")).count() == 4);
    }

    @Test
    void aFailingCompletionWriteIsRetriedUntilStored() {
        storage.completeFailure = new IllegalStateException("injected: write failed");
        queue = builder().handler(job -> "done").build();
        queue.start();
        queue.enqueue("a", "x");
        await("the failed write is reported", () -> events.contains("error"));
        assertEquals(JobState.PROCESSING, queue.status("a").orElseThrow().state());
        assertFalse(events.contains("completed:a"));

        storage.completeFailure = null;
        await("completed after the storage recovers", () -> queue.status("a").orElseThrow().state() == JobState.COMPLETED);
        assertEquals("done", queue.result("a").orElseThrow());
        assertEquals(1, queue.status("a").orElseThrow().attempts(), "stored, not re-run");
    }

    @Test
    void stopReturnsOnlyAfterPendingCompletionsAreStored() throws Exception {
        storage.completeGate = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        queue = builder().handler(job -> {
            finished.incrementAndGet();
            return "r";
        }).build();
        queue.start();
        queue.enqueue("a", "x");
        await("handler returned", () -> finished.get() == 1);
        AtomicReference<JobState> stateWhenStopReturned = new AtomicReference<>();
        Thread stopper = new Thread(() -> {
            queue.stop(Duration.ofSeconds(30));
            stateWhenStopReturned.set(queue.status("a").orElseThrow().state());
        });
        stopper.start();
        storage.completeGate.countDown();
        stopper.join(Duration.ofSeconds(60).toMillis());
        assertFalse(stopper.isAlive());
        assertEquals(JobState.COMPLETED, stateWhenStopReturned.get());
    }

    @Test
    void stopEndsEvenWhenTheStorageNeverTakesTheCompletionAndLeavesNoHandlerRetrying() {
        storage.completeFailure = new IllegalStateException("injected: storage down for good");
        AtomicInteger finished = new AtomicInteger();
        queue = builder().name("down").handler(job -> {
            finished.incrementAndGet();
            return "r";
        }).build();
        queue.start();
        queue.enqueue("a", "x");
        await("handler returned", () -> finished.get() == 1);
        await("the failing write is being retried", () -> events.contains("error"));

        queue.stop(Duration.ofMillis(100));
        queue = null;
        await("no handler thread left", () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.isAlive() && t.getName().startsWith("jobqueue-down-handler")));
        assertEquals(JobState.PROCESSING, memory.status("down", "a").orElseThrow().state(),
                "not completed, not lost: its lease expires and a reaper requeues it");
    }

    @Test
    void shortJobsAreClaimedAheadUpToPrefetchAndUnstartedOnesGoBackOnStop() {
        CountDownLatch slowGate = new CountDownLatch(1);
        queue = builder().concurrency(1).prefetch(3).handler(job -> {
            if (job.payload().equals("slow")) {
                slowGate.await();
            }
            return "ok";
        }).build();
        queue.start();
        for (int i = 0; i < 30; i++) {
            queue.enqueue("fast" + i, "fast");
        }
        await("fast jobs done", () -> count(JobState.COMPLETED) == 30L);
        queue.enqueue("slow", "slow");
        for (int i = 1; i <= 6; i++) {
            queue.enqueue("b" + i, "fast");
        }
        await("one running and three claimed ahead", () -> count(JobState.PROCESSING) == 4L);
        assertEquals(3L, count(JobState.QUEUED), "never more than concurrency + prefetch held");

        queue.stop(Duration.ZERO);
        queue = null;
        assertEquals(0L, memory.counts("q").get(JobState.PROCESSING));
        assertEquals(7L, memory.counts("q").get(JobState.QUEUED), "the running job and the buffered ones went back");
        assertFalse(events.stream().anyMatch(e -> e.startsWith("started:b")), "buffered jobs never started");
        for (int i = 1; i <= 3; i++) {
            assertEquals(0, memory.status("q", "b" + i).orElseThrow().attempts(), "b" + i + " used no attempt");
        }
        assertEquals(1, memory.status("q", "slow").orElseThrow().attempts(), "the started job's attempt counts");
    }

    @Test
    void longJobsAreNotClaimedAhead() throws Exception {
        CountDownLatch slowGate = new CountDownLatch(1);
        queue = builder().concurrency(1).prefetch(5).handler(job -> {
            if (job.payload().equals("slow")) {
                slowGate.await();
            } else {
                Thread.sleep(20);
            }
            return "ok";
        }).build();
        queue.start();
        for (int i = 0; i < 5; i++) {
            queue.enqueue("long" + i, "long");
        }
        await("long jobs done", () -> count(JobState.COMPLETED) == 5L);
        queue.enqueue("slow", "slow");
        await("slow job running", () -> events.contains("started:slow"));
        for (int i = 1; i <= 3; i++) {
            queue.enqueue("b" + i, "long");
        }
        Thread.sleep(300); // time for a claim-ahead that must not happen
        assertEquals(1L, count(JobState.PROCESSING), "only the running job is held");
        assertEquals(3L, count(JobState.QUEUED));
        slowGate.countDown();
        await("all done", () -> count(JobState.COMPLETED) == 9L);
    }

    @Test
    void prefetchMustNotBeNegative() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> builder().prefetch(-1));
        assertTrue(e.getMessage().contains("prefetch"), e.getMessage());
    }

}
