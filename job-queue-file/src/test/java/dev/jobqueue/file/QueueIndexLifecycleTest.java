package dev.jobqueue.file;

import static dev.jobqueue.file.LockedSteps.locked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.jobqueue.JobState;
import dev.jobqueue.ListOrder;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.NewJob;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The index keeps nothing for a queue that holds nothing: reads and refused operations on any
 * queue name leave no entry behind (a caller may pass arbitrary names), and a queue whose last
 * job, lock and pause flag are gone is forgotten, in the process that changed it and in one that
 * replays its records.
 */
class QueueIndexLifecycleTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private Path dir;

    @BeforeEach
    void createDir() {
        dir = TempDirs.create("queue-lifecycle");
    }

    @AfterEach
    void deleteDir() {
        TempDirs.delete(dir);
    }

    @Test
    void readsAndRefusedOperationsOnUnknownQueuesLeaveNothingBehind() throws Exception {
        try (StorageDirectory directory = StorageDirectory.open(dir)) {
            StateIndex state = new StateIndex();
            Journal journal = new Journal(directory, state);
            Transitions t = new Transitions(state, journal);
            locked(directory, () -> {
                journal.recover(NOW);
                for (int i = 0; i < 50; i++) {
                    String q = "unknown-" + i;
                    t.status(q, "x", NOW);
                    t.counts(q, NOW);
                    t.list(q, JobState.FAILED, 10, NOW);
                    t.listJobs(q, JobState.QUEUED, ListOrder.NEWEST_FIRST, null, 10, NOW);
                    t.isPaused(q);
                    t.retryJob(q, "x", NOW);
                    t.retryAll(q, JobState.FAILED, 10, NOW);
                    t.deleteJob(q, "x", NOW);
                    t.purge(q, JobState.COMPLETED, 10, NOW);
                    t.promote(q, "x", NOW);
                    t.cancel(q, "x", NOW);
                    t.claim(q, "w", 5, Duration.ofMinutes(1), NOW);
                    t.requeueExpired(q, 10, NOW);
                    t.extend(q, List.of(new LeaseRef("x", 1)), Duration.ofMinutes(1), NOW);
                    t.setPaused(q, false);
                    t.renewLock(q, "leader", "me", Duration.ofMinutes(1), NOW);
                    t.releaseLock(q, "leader", "me", NOW);
                }
                journal.appendPending();
            });
            assertEquals(0, state.queueCount());
            journal.close();
        }
    }

    @Test
    void aQueueWhoseLastJobLockAndPauseAreGoneIsForgottenHereAndOnReplay() throws Exception {
        try (StorageDirectory directory = StorageDirectory.open(dir)) {
            StateIndex state = new StateIndex();
            Journal journal = new Journal(directory, state);
            Transitions t = new Transitions(state, journal);
            locked(directory, () -> {
                journal.recover(NOW);
                t.enqueue("jobs", new NewJob("a", new byte[1], 0, Duration.ZERO, null, 3, 1, Duration.ofHours(1), false), NOW);
                t.setPaused("paused", true);
                t.acquireLock("locked", "leader", "me", Duration.ofMinutes(1), NOW);
                journal.appendPending();
                assertEquals(3, state.queueCount());
                t.deleteJob("jobs", "a", NOW);
                t.setPaused("paused", false);
                t.releaseLock("locked", "leader", "me", NOW);
                journal.appendPending();
                assertEquals(0, state.queueCount());
            });
            journal.close();
        }
        try (StorageDirectory directory = StorageDirectory.open(dir)) {
            StateIndex replayed = new StateIndex();
            Journal journal = new Journal(directory, replayed);
            locked(directory, () -> journal.recover(NOW));
            assertEquals(0, replayed.queueCount());
            assertFalse(replayed.find("paused").isPaused());
            journal.close();
        }
    }
}
