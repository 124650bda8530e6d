package dev.jobqueue.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobError;
import dev.jobqueue.JobState;
import dev.jobqueue.contract.ChildJvm;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.NewJob;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A child JVM purges or retries all jobs of a state in pages of 100 (FSYNC_EACH, compactions
 * running meanwhile) and is SIGKILLed at a random moment, several rounds on one directory: after
 * each reopen no job is lost or changed but by the operation, each job had it applied at most
 * once, the jobs it was applied to are the oldest ones (a prefix, in order), and every page the
 * child saw acknowledged is among them. A pause acknowledged before the kill is still in force.
 */
class BulkOperationKillTest {
    private static final String QUEUE = "bulk-kill";
    private static final int JOBS = 6_000;
    private static final int ROUNDS = 3;
    private Path dir;

    @BeforeEach
    void createDir() {
        dir = TempDirs.create("bulk-kill");
    }

    @AfterEach
    void deleteDir() {
        TempDirs.delete(dir);
    }

    @Test
    void purgeKilledMidwayDeletesAnOldestPrefixAndLosesNothingElse() throws Exception {
        List<String> ids = new ArrayList<>();
        try (FileStorage storage = FileStorage.open(dir)) {
            List<NewJob> jobs = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                ids.add("job-" + i);
                jobs.add(new NewJob("job-" + i, payload(i), 0, Duration.ZERO, null, 3, 3, Duration.ofHours(1), false));
            }
            storage.enqueueBatch(QUEUE, jobs);
        }
        runRounds("purge", JobState.QUEUED, (storage, acknowledged) -> {
            List<String> left = storage.list(QUEUE, JobState.QUEUED, JOBS + 1);
            int deleted = JOBS - left.size();
            assertTrue(deleted >= acknowledged, deleted + " deleted, " + acknowledged + " acknowledged");
            assertEquals(ids.subList(deleted, JOBS), left, "the oldest were deleted, the rest are untouched");
            for (int i = 0; i < deleted; i++) {
                assertTrue(storage.status(QUEUE, ids.get(i)).isEmpty(), ids.get(i));
            }
            for (int i = deleted; i < JOBS; i += 97) {
                assertArrayEquals(payload(i), storage.status(QUEUE, ids.get(i)).orElseThrow().payload());
            }
            return deleted;
        });
    }

    @Test
    void retryAllKilledMidwayRetriesAnOldestPrefixOnceAndLosesNothing() throws Exception {
        List<String> failedOrder = new ArrayList<>();
        try (FileStorage storage = FileStorage.open(dir, FileStorageOptions.builder()
                .durability(Durability.FSYNC_BATCHED).build())) { // setup only; close() fsyncs
            List<NewJob> jobs = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                jobs.add(new NewJob("job-" + i, payload(i), 0, Duration.ZERO, null, 1, 3, Duration.ofHours(1), false));
            }
            storage.enqueueBatch(QUEUE, jobs);
            for (ClaimedJob job : storage.claim(QUEUE, "setup", JOBS, Duration.ofHours(1), Duration.ZERO)) {
                storage.fail(QUEUE, new LeaseRef(job.id(), job.fencingToken()),
                        new JobError("E", "boom", null, null, 1, Instant.now()), null);
            }
            failedOrder.addAll(storage.list(QUEUE, JobState.FAILED, JOBS + 1));
            assertEquals(JOBS, failedOrder.size());
        }
        runRounds("retryAll", JobState.FAILED, (storage, acknowledged) -> {
            List<String> queued = storage.list(QUEUE, JobState.QUEUED, JOBS + 1);
            List<String> failed = storage.list(QUEUE, JobState.FAILED, JOBS + 1);
            assertTrue(queued.size() >= acknowledged, queued.size() + " retried, " + acknowledged + " acknowledged");
            assertEquals(failedOrder.subList(0, queued.size()), queued,
                    "the oldest failures were retried, each once, in order (no job twice in the FIFO)");
            assertEquals(failedOrder.subList(queued.size(), JOBS), failed, "the rest are untouched");
            for (int i = 0; i < queued.size(); i += 97) {
                JobSnapshot s = storage.status(QUEUE, queued.get(i)).orElseThrow();
                assertEquals(0, s.attempts());
                assertTrue(s.payload() != null && s.payload().length > 0);
            }
            return queued.size();
        });
    }

    @Test
    void aPauseAcknowledgedBeforeSigkillIsStillThereAfterReopen() throws Exception {
        try (ChildJvm child = ChildJvm.start(BulkOperationChild.class, dir.toString(), QUEUE, "pause", "QUEUED", "1",
                "" + (64 * 1024))) {
            child.awaitLines(lines -> lines.contains("paused true"), Duration.ofSeconds(90), "the pause");
            child.kill();
        }
        try (FileStorage reopened = FileStorage.open(dir)) {
            assertTrue(reopened.isPaused(QUEUE));
            reopened.enqueue(QUEUE, new NewJob("a", payload(0), 0, Duration.ZERO, null, 3, 3, Duration.ofHours(1), false));
            assertEquals(List.of(), reopened.claim(QUEUE, "w", 1, Duration.ofMinutes(1), Duration.ZERO));
        }
    }

    private interface Check {
        int applied(FileStorage reopened, int acknowledged) throws Exception;
    }

    private void runRounds(String op, JobState state, Check check) throws Exception {
        Random random = new Random();
        int acknowledged = 0;
        List<Integer> appliedAfterKill = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            int killAfter = 1 + random.nextInt(15);
            try (ChildJvm child = ChildJvm.start(BulkOperationChild.class, dir.toString(), QUEUE, op, state.name(),
                    "100", "" + (64 * 1024))) {
                child.awaitLines(lines -> lines.size() >= killAfter || lines.contains("end"), Duration.ofSeconds(90),
                        killAfter + " pages");
                Thread.sleep(random.nextInt(5));
                child.kill();
                for (String line : child.lines()) {
                    if (line.startsWith("did ")) {
                        acknowledged += Integer.parseInt(line.substring(4));
                    }
                }
            }
            try (FileStorage reopened = FileStorage.open(dir)) {
                appliedAfterKill.add(check.applied(reopened, acknowledged));
            }
        }
        System.out.println(op + " kill test: applied after each kill " + appliedAfterKill + ", acknowledged " + acknowledged);
    }

    private static byte[] payload(int i) {
        return ("payload-" + i).getBytes(StandardCharsets.UTF_8);
    }
}
