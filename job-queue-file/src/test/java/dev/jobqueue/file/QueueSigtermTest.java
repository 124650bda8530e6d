package dev.jobqueue.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobState;
import dev.jobqueue.Queue;
import dev.jobqueue.contract.ChildJvm;
import dev.jobqueue.spi.JobSnapshot;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM (what {@code Process.destroy()} and {@code kill} send, and what Ctrl-C amounts to) to a
 * worker JVM mid-job: its queue closes itself from the JVM shutdown hook, so the job another
 * process sees is COMPLETED (it finished within the grace) or QUEUED again at once (it did not),
 * never PROCESSING until the two-minute lease runs out.
 */
class QueueSigtermTest {
    private static final String NAME = "sigterm";
    /** The lease a dead worker's job would wait out; every wait below is far shorter. */
    private static final Duration LEASE = Duration.ofMinutes(2);
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private Path dir;

    @BeforeEach
    void createDir() {
        dir = TempDirs.create("sigterm");
    }

    @AfterEach
    void deleteDir() {
        TempDirs.delete(dir);
    }

    @Test
    void aJobThatOutlivesTheGraceIsHandedBackAtOnce() throws Exception {
        try (FileStorage storage = FileStorage.open(dir)) {
            enqueue(storage, "long");
            try (ChildJvm child = ChildJvm.start(SigtermQueueChild.class, dir.toString(), NAME, "500",
                    "" + Duration.ofMinutes(10).toMillis(), "" + LEASE.toMillis())) {
                child.awaitLines(lines -> lines.contains("run long"), PATIENCE, "the job runs in the child");
                long terminatedAt = System.nanoTime();
                sigterm(child);

                awaitState(storage, "long", JobState.QUEUED, "the job handed back after SIGTERM");
                Duration took = Duration.ofNanos(System.nanoTime() - terminatedAt);
                JobSnapshot s = storage.status(NAME, "long").orElseThrow();
                assertEquals(0, s.stalls(), "handed back, not reaped after its lease expired");
                assertTrue(took.compareTo(LEASE.dividedBy(2)) < 0, "handed back " + took + " after SIGTERM");
                child.awaitExit(PATIENCE);
                assertFalse(child.lines().contains("done long"), "the handler was interrupted, not waited for");
            }
        }
    }

    @Test
    void aJobThatFinishesWithinTheGraceCompletes() throws Exception {
        try (FileStorage storage = FileStorage.open(dir)) {
            enqueue(storage, "short");
            try (ChildJvm child = ChildJvm.start(SigtermQueueChild.class, dir.toString(), NAME, "" + PATIENCE.toMillis(),
                    "3000", "" + LEASE.toMillis())) {
                child.awaitLines(lines -> lines.contains("run short"), PATIENCE, "the job runs in the child");
                sigterm(child);
                child.awaitExit(PATIENCE);
                assertTrue(child.lines().contains("done short"), "the running job finished: " + child.lines());
                awaitState(storage, "short", JobState.COMPLETED, "the job completed by the terminated child");
                assertEquals("\"done by child\"", new String(storage.status(NAME, "short").orElseThrow().result(),
                        java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }

    private static void enqueue(FileStorage storage, String id) {
        Queue.builder(storage, String.class, String.class).name(NAME).build().enqueue(id, "payload");
    }

    /** SIGTERM through the pid the child printed (ChildJvm itself only SIGKILLs). */
    private static void sigterm(ChildJvm child) {
        long pid = child.lines().stream().filter(l -> l.startsWith("pid ")).map(l -> Long.parseLong(l.substring(4)))
                .findFirst().orElseThrow(() -> new AssertionError("the child printed no pid: " + child.lines()));
        assertTrue(ProcessHandle.of(pid).orElseThrow().destroy(), "SIGTERM sent");
    }

    private static void awaitState(FileStorage storage, String id, JobState state, String what) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        JobState last;
        while ((last = storage.status(NAME, id).map(JobSnapshot::state).orElse(null)) != state) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; the job is " + last);
            }
            Thread.sleep(20);
        }
    }
}
