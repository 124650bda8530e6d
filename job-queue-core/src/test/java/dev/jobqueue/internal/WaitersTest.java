package dev.jobqueue.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobError;
import dev.jobqueue.Serde;
import dev.jobqueue.memory.MemoryStorage;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
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
    void closeFailsCallersStillWaiting() {
        CompletableFuture<String> f = waiters.register("a", Duration.ofSeconds(30));
        waiters.close();
        assertTrue(f.isCompletedExceptionally());
        assertEquals(0, waiters.size());
    }
}
