package dev.jobqueue.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobState;
import dev.jobqueue.contract.ChildJvm;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.NewJob;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A child JVM claims jobs and records them in batches with {@code completeAll} (FSYNC_EACH, with
 * compactions running in the background meanwhile) and is SIGKILLed at a random moment: after
 * reopening, every job whose {@code completeAll} returned APPLIED is COMPLETED with its result,
 * and no job is lost. Several rounds on the same directory, so each also recovers the earlier kills.
 */
class FileStorageCompleteAllKillTest {
    private static final String QUEUE = "batch-kill";
    private static final int JOBS = 30_000;
    private static final int ROUNDS = 4;
    private Path dir;

    @BeforeEach
    void createDir() {
        dir = TempDirs.create("complete-all-kill");
    }

    @AfterEach
    void deleteDir() {
        TempDirs.delete(dir);
    }

    @Test
    void everyAppliedCompletionOfABatchSurvivesSigkill() throws Exception {
        try (FileStorage storage = FileStorage.open(dir)) {
            List<NewJob> jobs = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                jobs.add(new NewJob("job-" + i, ("payload-" + i).getBytes(StandardCharsets.UTF_8), 0, Duration.ZERO,
                        null, 3, 3, Duration.ofHours(1), false));
            }
            storage.enqueueBatch(QUEUE, jobs);
        }
        Random random = new Random();
        Set<String> applied = new LinkedHashSet<>();
        List<Integer> killedAfter = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            int killAfter = 200 + random.nextInt(3_000);
            try (ChildJvm child = ChildJvm.start(CompleteAllChild.class, dir.toString(), QUEUE, "4", "32",
                    "" + (64 * 1024))) {
                child.awaitLines(lines -> lines.size() >= killAfter, Duration.ofSeconds(90),
                        killAfter + " applied completions");
                Thread.sleep(random.nextInt(20));
                child.kill();
                for (String line : child.lines()) {
                    assertTrue(line.startsWith("done "), line);
                    applied.add(line.substring(5));
                }
                killedAfter.add(applied.size());
            }
            try (FileStorage reopened = FileStorage.open(dir)) {
                for (String id : applied) {
                    JobSnapshot status = reopened.status(QUEUE, id).orElseThrow(() -> new AssertionError(id + " lost"));
                    assertEquals(JobState.COMPLETED, status.state(), id);
                    assertEquals("r-" + id, new String(status.result(), StandardCharsets.UTF_8), id);
                }
                Map<JobState, Long> counts = reopened.counts(QUEUE);
                assertEquals((long) JOBS, counts.values().stream().mapToLong(Long::longValue).sum(),
                        "every job is still there: " + counts);
                // Jobs the dead child had claimed but not acknowledged stay PROCESSING until their
                // lease ends (later rounds claim other jobs); completed but unprinted ones are COMPLETED.
                assertTrue(counts.get(JobState.COMPLETED) >= applied.size(), counts + " vs " + applied.size());
            }
        }
        System.out.println("completeAll kill test: rounds killed after " + killedAfter + " applied completions");
    }
}
