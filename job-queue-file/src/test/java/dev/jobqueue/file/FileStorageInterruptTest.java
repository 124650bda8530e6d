package dev.jobqueue.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobState;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.NewJob;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Interrupts never damage the storage: NIO closes a channel when a thread blocked in it is
 * interrupted, so callers must never touch the journal's channels themselves.
 */
class FileStorageInterruptTest {
    private Path dir;

    @BeforeEach
    void createDir() {
        dir = TempDirs.create("interrupt");
    }

    @AfterEach
    void deleteDir() {
        TempDirs.delete(dir);
    }

    @Test
    void callsFromInterruptedThreadsCompleteAndLeaveTheStorageWorking() throws Exception {
        try (FileStorage storage = FileStorage.open(dir)) {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread interrupted = new Thread(() -> {
                try {
                    for (int i = 0; i < 200; i++) {
                        Thread.currentThread().interrupt();
                        storage.enqueue("q", job("i" + i));
                        assertTrue(Thread.currentThread().isInterrupted(), "the interrupt flag is kept");
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            Thread interrupter = new Thread(() -> {
                while (interrupted.isAlive()) {
                    interrupted.interrupt();
                    Thread.onSpinWait();
                }
            });
            interrupted.start();
            interrupter.start();
            interrupted.join(TimeUnit.SECONDS.toMillis(60));
            interrupter.join(TimeUnit.SECONDS.toMillis(60));
            assertEquals(null, failure.get());
            storage.enqueue("q", job("after"));
            assertEquals(201L, storage.counts("q").get(JobState.QUEUED));
        }
        try (FileStorage reopened = FileStorage.open(dir)) {
            assertEquals(201L, reopened.counts("q").get(JobState.QUEUED));
        }
    }

    @Test
    void anInterruptEndsAWaitingClaimWithWhatItHas() throws Exception {
        try (FileStorage storage = FileStorage.open(dir)) {
            AtomicReference<Thread> claimer = new AtomicReference<>();
            CompletableFuture<List<ClaimedJob>> claim = CompletableFuture.supplyAsync(() -> {
                claimer.set(Thread.currentThread());
                try {
                    return storage.claim("q", "w", 1, Duration.ofMinutes(1), Duration.ofMinutes(5));
                } catch (InterruptedException e) {
                    return List.of();
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((claimer.get() == null || claimer.get().getState() != Thread.State.TIMED_WAITING)
                    && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            claimer.get().interrupt();
            assertEquals(List.of(), claim.get(30, TimeUnit.SECONDS));
            storage.enqueue("q", job("still-works"));
            assertEquals("still-works", storage.claim("q", "w", 1, Duration.ofMinutes(1), Duration.ZERO).get(0).id());
        }
    }

    private static NewJob job(String id) {
        return new NewJob(id, new byte[8], 0, Duration.ZERO, null, 3, 1, Duration.ofHours(1), false);
    }
}
