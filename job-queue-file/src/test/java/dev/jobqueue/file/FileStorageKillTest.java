package dev.jobqueue.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobState;
import dev.jobqueue.contract.ChildJvm;
import dev.jobqueue.spi.JobSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A child JVM enqueues in FSYNC_EACH mode and prints every acknowledged id; it is SIGKILLed at a
 * random moment, and every acknowledged id must be in the directory when it is reopened. Twelve
 * rounds on the same directory, so each round also recovers from all the earlier kills.
 */
class FileStorageKillTest {
    private static final String QUEUE = "kill";
    private Path dir;

    @BeforeEach
    void createDir() {
        dir = TempDirs.create("kill");
    }

    @AfterEach
    void deleteDir() {
        TempDirs.delete(dir);
    }

    @Test
    void everyAcknowledgedEnqueueSurvivesSigkill() throws Exception {
        killRounds(Durability.FSYNC_EACH, 12);
    }

    /** A process crash loses nothing in batched mode either: written records are in the page cache. */
    @Test
    void batchedModeLosesNothingOnAProcessCrash() throws Exception {
        killRounds(Durability.FSYNC_BATCHED, 4);
    }

    private void killRounds(Durability durability, int rounds) throws Exception {
        Random random = new Random();
        Set<String> acknowledged = new LinkedHashSet<>();
        List<Integer> killedAfter = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            int killAfter = 1 + random.nextInt(1_500);
            try (ChildJvm child = ChildJvm.start(EnqueueChild.class, dir.toString(), QUEUE, "r" + round, "1000000", "4",
                    durability.name())) {
                child.awaitLines(lines -> lines.size() >= killAfter, Duration.ofSeconds(60),
                        killAfter + " acknowledged enqueues");
                // Vary the moment further: sometimes kill at once, sometimes a little later.
                Thread.sleep(random.nextInt(20));
                child.kill();
                acknowledged.addAll(child.lines());
                killedAfter.add(child.lines().size());
            }
            try (FileStorage reopened = FileStorage.open(dir)) {
                for (String id : acknowledged) {
                    Optional<JobSnapshot> status = reopened.status(QUEUE, id);
                    assertTrue(status.isPresent(), "acknowledged id " + id + " lost (round " + round + ")");
                    assertEquals(JobState.QUEUED, status.get().state());
                }
                // Besides the acknowledged ids, at most the calls in flight (4 producer threads per
                // round) may have reached the disk before the kill.
                long queued = reopened.counts(QUEUE).get(JobState.QUEUED);
                assertTrue(queued >= acknowledged.size() && queued <= acknowledged.size() + 4L * (round + 1),
                        queued + " jobs for " + acknowledged.size() + " acknowledged ids");
            }
        }
        System.out.println("kill test (" + durability + "): rounds killed after " + killedAfter + " acknowledged enqueues");
    }
}
