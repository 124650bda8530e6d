package dev.jobqueue.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobCancelledException;
import dev.jobqueue.JobError;
import dev.jobqueue.JobState;
import dev.jobqueue.JobTimeoutException;
import dev.jobqueue.Serde;
import dev.jobqueue.memory.MemoryStorage;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.NewJob;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class WaitersTest {
    private final MemoryStorage storage = new MemoryStorage();
    private final Waiters<String> waiters = new Waiters<>(storage, "q", Serde.json(String.class),
            LoggerFactory.getLogger(WaitersTest.class));

    @AfterEach
    void close() {
        waiters.close();
        storage.close();
    }

    @Test
    void aLocalOutcomeReachesOnlyCallersRegisteredBeforeItWasStored() {
        CompletableFuture<String> before = waiters.register("a", Duration.ofSeconds(30));
        long mark = waiters.mark();
        CompletableFuture<String> after = waiters.register("a", Duration.ofSeconds(30)); // waits for a newer job "a"
        waiters.completed("a", "old result", mark);
        assertEquals("old result", before.join());
        assertFalse(after.isDone(), "a later caller must not get the outcome of an older job with the same id");
        waiters.failed("a", new JobError("T", "m", null, null, 1, Instant.EPOCH), waiters.mark());
        assertTrue(after.isCompletedExceptionally());
        assertEquals(0, waiters.size());
    }

    @Test
    void aTimeoutSaysWhatStateTheJobIsIn() {
        storage.enqueue("q", new NewJob("queued", new byte[0], 0, Duration.ZERO, null, 3, 1, Duration.ofHours(1), true));
        CompletableFuture<String> queued = waiters.register("queued", Duration.ofMillis(100));
        CompletableFuture<String> unknown = waiters.register("never-enqueued", Duration.ofMillis(100));

        JobTimeoutException e = assertThrows(JobTimeoutException.class, () -> join(queued));
        assertEquals("job queued still QUEUED after 100 ms: is a worker running for queue q?", e.getMessage());
        e = assertThrows(JobTimeoutException.class, () -> join(unknown));
        assertTrue(e.getMessage().startsWith("job never-enqueued not found after 100 ms"), e.getMessage());
        assertEquals(0, waiters.size());
    }

    private static String join(CompletableFuture<String> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            throw (RuntimeException) e.getCause();
        }
    }

    private static NewJob job(String id) {
        return new NewJob(id, "\"x\"".getBytes(java.nio.charset.StandardCharsets.UTF_8), 0, Duration.ZERO, null, 3, 1,
                Duration.ofHours(1), true);
    }

    @Test
    void aDeletedJobEndsTheWaitsOfCallersWhoseEnqueueWasStored() {
        CompletableFuture<String> waiting = waiters.register("a", Duration.ofSeconds(30));
        storage.enqueue("q", job("a"));
        waiters.stored("a", waiting);
        assertEquals(dev.jobqueue.DeleteResult.DELETED, storage.deleteJob("q", "a"));
        JobCancelledException e = assertThrows(JobCancelledException.class, () -> join(waiting.orTimeout(20, TimeUnit.SECONDS)));
        assertEquals("a", e.jobId());
        assertEquals(0, waiters.size());
    }

    @Test
    void aCancellationNoticeBeforeTheCallersOwnEnqueueLandedDoesNotEndTheWait() throws Exception {
        CompletableFuture<String> waiting = waiters.register("a", Duration.ofSeconds(30));
        // The notice of an older job "a" (cancelled or deleted) arrives before this caller's enqueue is stored.
        waiters.onTerminal("a", new JobSnapshot("a", JobState.CANCELLED, 0, Instant.EPOCH, null, 0, 3, 0, null, null,
                null, null, null));
        Thread.sleep(200); // the re-read of the status runs off this thread
        assertFalse(waiting.isDone(), "no record yet only means the new job is on its way");
        storage.enqueue("q", job("a"));
        waiters.stored("a", waiting);
        Thread.sleep(200);
        assertFalse(waiting.isDone(), "the new job exists: keep waiting for it");
        waiters.completed("a", "done", waiters.mark());
        assertEquals("done", waiting.join());
    }

    @Test
    void closeFailsCallersStillWaiting() {
        CompletableFuture<String> f = waiters.register("a", Duration.ofSeconds(30));
        waiters.close();
        assertTrue(f.isCompletedExceptionally());
        assertEquals(0, waiters.size());
    }
}
