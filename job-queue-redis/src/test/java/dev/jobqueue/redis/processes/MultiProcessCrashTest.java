package dev.jobqueue.redis.processes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobState;
import dev.jobqueue.Reaper;
import dev.jobqueue.contract.ChildJvm;
import dev.jobqueue.redis.RedisStorage;
import dev.jobqueue.redis.RedisTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A producer JVM and three worker JVMs share 20,000 jobs on Redis; one worker is SIGKILLed
 * mid-run while a Reaper runs here. Afterwards every job is COMPLETED, none is lost, and only
 * jobs the killed worker held ran more than once (each worker logs each run, before completing
 * it, to its own file).
 */
class MultiProcessCrashTest {
    private static final int JOBS = 20_000;
    /** How long a child may take to finish or stop: generous, tests share 2 cores. */
    static final Duration CHILD_PATIENCE = Duration.ofMinutes(2);

    @Test
    void killingAWorkerMidRunLosesNoJobAndOnlyItsJobsRunTwice(@TempDir Path dir) throws Exception {
        String url = RedisTestServer.url();
        String prefix = RedisTestServer.uniquePrefix();
        String queue = "crash";
        List<ChildJvm> workers = new ArrayList<>();
        try (RedisStorage storage = RedisStorage.builder().uri(url).keyPrefix(prefix).build();
             Reaper reaper = Reaper.builder(storage).name(queue).scanInterval(Duration.ofMillis(200)).build()) {
            reaper.start();
            for (int i = 0; i < 3; i++) {
                workers.add(ChildJvm.builder(CrashTestWorker.class).keepOutputIn(dir.resolve("worker" + i))
                        .args(url, prefix, queue, "worker-" + i, dir.resolve("runs-" + i + ".log").toString()).start());
            }
            ChildJvm producer = ChildJvm.builder(CrashTestProducer.class).keepOutputIn(dir.resolve("producer"))
                    .args(url, prefix, queue, Integer.toString(JOBS)).start();

            awaitCondition(() -> completed(storage, queue) >= JOBS / 5, "a fifth of the jobs completed", dir);
            ChildJvm victim = workers.get(0);
            victim.kill();

            assertEquals(0, producer.awaitExit(CHILD_PATIENCE), "producer exit code; stderr:\n" + producer.stderrText());
            awaitCondition(() -> completed(storage, queue) == JOBS, "every job completed", dir);
            for (int i = 1; i < workers.size(); i++) {
                assertTrue(workers.get(i).isAlive(), "worker " + i + " still running");
                workers.get(i).stop(CHILD_PATIENCE);
            }

            Map<String, Integer> runs = new HashMap<>();
            List<Set<String>> ranBy = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Set<String> mine = new HashSet<>();
                for (String id : Files.readAllLines(dir.resolve("runs-" + i + ".log"))) {
                    if (!id.isEmpty()) {
                        runs.merge(id, 1, Integer::sum);
                        mine.add(id);
                    }
                }
                ranBy.add(mine);
            }
            assertEquals(JOBS, runs.size(), "every job ran");
            assertTrue(!ranBy.get(0).isEmpty(), "the killed worker had run jobs");
            List<String> repeatedElsewhere = new ArrayList<>();
            for (Map.Entry<String, Integer> e : runs.entrySet()) {
                if (e.getValue() > 1 && !ranBy.get(0).contains(e.getKey())) {
                    repeatedElsewhere.add(e.getKey());
                }
            }
            assertEquals(List.of(), repeatedElsewhere, "jobs run more than once that the killed worker never held");
            for (int i = 0; i < JOBS; i += 97) {
                assertEquals(JobState.COMPLETED, storage.status(queue, "job-" + i).orElseThrow().state(), "job-" + i);
            }
            assertEquals(0L, storage.counts(queue).get(JobState.PROCESSING));
        } finally {
            for (ChildJvm w : workers) {
                if (w.isAlive()) {
                    w.kill();
                }
            }
            RedisTestServer.deleteKeys(prefix);
        }
    }

    private static long completed(RedisStorage storage, String queue) {
        return storage.counts(queue).get(JobState.COMPLETED);
    }

    static void awaitCondition(BooleanSupplier condition, String what, Path logs) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what + " (child logs in " + logs + ")");
            }
            Thread.sleep(50); // polling a condition with a generous deadline
        }
    }
}
