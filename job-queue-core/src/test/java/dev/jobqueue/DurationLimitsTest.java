package dev.jobqueue;

import static dev.jobqueue.BackoffTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.memory.MemoryStorage;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Durations beyond what clock arithmetic holds (1,000 years, FOREVER): rejected where they become
 * storage deadlines, with a message naming the option; clamped where they are waits; never a raw
 * ArithmeticException, a leaked waiter, or a queue left half running.
 */
class DurationLimitsTest {
    private static final Duration MILLENNIUM = ChronoUnit.YEARS.getDuration().multipliedBy(1000);
    private static final Duration FOREVER = ChronoUnit.FOREVER.getDuration();
    private static final Duration HUNDRED_YEARS = Duration.ofDays(36_500);

    private final MemoryStorage storage = new MemoryStorage();

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void deadlineDurationsBeyondOneHundredYearsAreRejectedNamingTheOption() {
        Queue.Builder<String, String> b = Queue.builder(storage, String.class, String.class);
        assertMessage("visibilityTimeout", () -> b.visibilityTimeout(MILLENNIUM));
        assertMessage("resultTtl", () -> b.resultTtl(MILLENNIUM));
        assertMessage("resultTtl", () -> EnqueueOptions.builder().resultTtl(MILLENNIUM));
        assertMessage("delay", () -> EnqueueOptions.builder().delay(FOREVER));
        assertMessage("runAt", () -> EnqueueOptions.builder().runAt(Instant.MAX));
        assertMessage("runAt", () -> EnqueueOptions.builder().runAt(Instant.now().plus(MILLENNIUM.multipliedBy(10))));
        assertMessage("resultTtl", () -> ExecutionOutcome.success("r").withResultTtl(MILLENNIUM));
        assertMessage("backoff delay", () -> Backoff.fixed(MILLENNIUM));
        assertMessage("backoff base", () -> Backoff.exponential(MILLENNIUM, 2, MILLENNIUM, 0));
        assertMessage("backoff max", () -> Backoff.exponential(Duration.ofSeconds(1), 2, MILLENNIUM, 0));
        Queue<String, String> q = b.build();
        assertMessage("ttl", () -> q.updateResultTtl("a", MILLENNIUM));
        Reaper.Builder r = Reaper.builder(storage);
        assertMessage("scanInterval", () -> r.scanInterval(MILLENNIUM));
        assertMessage("lockTtl", () -> r.lockTtl(MILLENNIUM));
        assertMessage("renewInterval", () -> r.renewInterval(MILLENNIUM));
        assertMessage("acquireRetryInterval", () -> r.acquireRetryInterval(MILLENNIUM));
    }

    @Test
    void oneHundredYearsIsAccepted() {
        Queue<String, String> q = Queue.builder(storage, String.class, String.class).name("q")
                .visibilityTimeout(HUNDRED_YEARS).resultTtl(HUNDRED_YEARS).build();
        assertEquals(EnqueueResult.Kind.QUEUED, q.enqueue("a", "x", EnqueueOptions.builder()
                .delay(HUNDRED_YEARS).resultTtl(HUNDRED_YEARS).build()).kind());
        assertEquals(JobState.DELAYED, q.status("a").orElseThrow().state());
    }

    @Test
    void aHugeWaitIsClampedAndLeavesNoWaiterBehind() throws Exception {
        Queue<String, String> producer = Queue.builder(storage, String.class, String.class).name("q").build();
        CompletableFuture<String> waiting = producer.submit("a", "x", EnqueueOptions.defaults(), MILLENNIUM);
        assertFalse(waiting.isDone());
        assertEquals(1, producer.waitingCallers());
        waiting.cancel(false);
        assertEquals(0, producer.waitingCallers());

        try (Queue<String, String> worker = Queue.builder(storage, String.class, String.class).name("q")
                .handler(job -> job.payload().toUpperCase()).defaultWaitTimeout(FOREVER).build()) {
            worker.start();
            assertEquals("Y", worker.enqueueAndWait("b", "y", FOREVER));
            assertEquals("Z", worker.enqueueAndWait("c", "z"));
            assertEquals(0, worker.waitingCallers());
        }
    }

    @Test
    void stopWithAHugeGraceStopsTheQueue() {
        Queue<String, String> q = Queue.builder(storage, String.class, String.class).name("huge-grace")
                .handler(job -> "ok").shutdownGrace(FOREVER).build();
        q.start();
        q.stop(MILLENNIUM);
        assertFalse(q.isRunning());
        awaitNoThread("jobqueue-huge-grace-");
        q.start();
        q.close(); // the builder's shutdownGrace, clamped
        assertFalse(q.isRunning());
    }

    @Test
    void aQueueWhoseStartFailsLeavesNoThreadAndIsNotRunning() {
        Queue<String, String> q = Queue.builder(storage, String.class, String.class).name("failing-start")
                .handler(job -> "ok").logger(ThrowingLogger.create()).build();
        assertThrows(IllegalStateException.class, q::start);
        assertFalse(q.isRunning());
        awaitNoThread("jobqueue-failing-start-");
    }

    @Test
    void aReaperWhoseStartFailsLeavesNoThreadAndIsNotRunning() {
        Reaper r = Reaper.builder(storage).name("failing-reaper").logger(ThrowingLogger.create()).build();
        assertThrows(IllegalStateException.class, r::start);
        assertFalse(r.isRunning());
        awaitNoThread("jobqueue-reaper-failing-reaper");
    }

    static void awaitNoThread(String prefix) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith(prefix) && t.isAlive())) {
            assertTrue(System.nanoTime() < deadline, "a thread " + prefix + "* is still running");
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
