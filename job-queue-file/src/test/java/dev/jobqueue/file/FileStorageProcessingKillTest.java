package dev.jobqueue.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.EnqueueRequest;
import dev.jobqueue.JobState;
import dev.jobqueue.Queue;
import dev.jobqueue.Reaper;
import dev.jobqueue.contract.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A child JVM processes file-backed jobs and is SIGKILLed mid-run; after reopening the directory
 * with a Reaper and a new worker, every job completes, none is lost, and only jobs the killed
 * worker had in hand run twice.
 */
class FileStorageProcessingKillTest {
    private static final int JOBS = 2_000;
    private static final int CHILD_CONCURRENCY = 8;
    private static final String NAME = "work";
    private Path dir;

    @BeforeEach
    void createDir() {
        dir = TempDirs.create("processing-kill");
    }

    @AfterEach
    void deleteDir() {
        TempDirs.delete(dir);
    }

    @Test
    void jobsOfAKilledWorkerAreRecoveredAndEveryJobCompletes() throws Exception {
        try (FileStorage storage = FileStorage.open(dir)) {
            Queue<String, String> producer = Queue.builder(storage, String.class, String.class).name(NAME).build();
            List<EnqueueRequest<String>> requests = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                requests.add(EnqueueRequest.of("job-" + i, "payload-" + i));
            }
            producer.enqueueAll(requests);
        }

        int killAfter = 100 + new Random().nextInt(JOBS / 2);
        Set<String> startedInChild = new HashSet<>();
        try (ChildJvm child = ChildJvm.start(ProcessChild.class, dir.toString(), NAME, "" + CHILD_CONCURRENCY, "1500")) {
            child.awaitLines(lines -> lines.size() >= killAfter, Duration.ofSeconds(60), killAfter + " started jobs");
            child.kill();
            child.lines().stream().filter(l -> l.startsWith("run ")).forEach(l -> startedInChild.add(l.substring(4)));
        }

        Set<String> ranHere = ConcurrentHashMap.newKeySet();
        try (FileStorage storage = FileStorage.open(dir);
             Reaper reaper = Reaper.builder(storage).name(NAME).scanInterval(Duration.ofMillis(100)).build()) {
            Map<JobState, Long> afterKill = storage.counts(NAME);
            assertEquals((long) JOBS, afterKill.values().stream().mapToLong(Long::longValue).sum(),
                    "every job is still in the directory after the kill: " + afterKill);
            Queue<String, String> worker = Queue.builder(storage, String.class, String.class)
                    .name(NAME).concurrency(4).handler(job -> {
                        ranHere.add(job.id());
                        return "done after restart";
                    }).build();
            reaper.start();
            worker.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (storage.counts(NAME).get(JobState.COMPLETED) < JOBS && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            worker.close();
            Map<JobState, Long> end = storage.counts(NAME);
            assertEquals((long) JOBS, end.get(JobState.COMPLETED), "all jobs completed: " + end);
            for (int i = 0; i < JOBS; i++) {
                assertEquals(JobState.COMPLETED, storage.status(NAME, "job-" + i).orElseThrow().state());
            }
            Set<String> ranTwice = new HashSet<>(startedInChild);
            ranTwice.retainAll(ranHere);
            // Each of the child's worker loops had at most one job started but not durably finished.
            assertTrue(ranTwice.size() <= CHILD_CONCURRENCY, "ran twice: " + ranTwice);
            System.out.printf("processing kill: child started %d jobs before SIGKILL, %d ran again after restart%n",
                    startedInChild.size(), ranTwice.size());
        }
    }
}
