package dev.jobqueue.postgres.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.EnqueueRequest;
import dev.jobqueue.EnqueueResult;
import dev.jobqueue.JobState;
import dev.jobqueue.Queue;
import dev.jobqueue.Reaper;
import dev.jobqueue.contract.ChildJvm;
import dev.jobqueue.contract.Eventually;
import dev.jobqueue.postgres.PostgresStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Worker JVMs on one PostgreSQL schema are SIGKILLed mid-run, three times, each while it holds
 * jobs; a replacement starts after each kill and a Reaper runs in this JVM. Afterwards every job
 * is COMPLETED (none lost, none failed), every job ran at least once, and only jobs a killed
 * worker held ran more than once (each worker logs each run, before completing it, to its own file).
 */
class PostgresWorkerCrashTest {
    private static final int JOBS = 6_000;
    private static final int KILLS = 3;
    private static final Duration PATIENCE = Duration.ofSeconds(180);
    private static final String SCHEMA = PgFaultServer.uniqueSchema("workercrash");

    @AfterAll
    static void dropSchema() throws Exception {
        PgFaultServer.dropSchema(SCHEMA);
    }

    @Test
    void sigkilledWorkersLoseNoJobAndOnlyTheirJobsRunTwice(@TempDir Path dir) throws Exception {
        String url = PgFaultServer.url();
        String queueName = "crash";
        List<ChildJvm> workers = new ArrayList<>();
        Set<Integer> killed = new HashSet<>();
        try (PostgresStorage storage = PostgresStorage.builder().jdbcUrl(url).schema(SCHEMA).build();
             Reaper reaper = Reaper.builder(storage).name(queueName).scanInterval(Duration.ofMillis(200)).build()) {
            reaper.start();
            Queue<String, String> producer = Queue.builder(storage, String.class, String.class).name(queueName).build();
            for (int i = 0; i < 3; i++) {
                workers.add(startWorker(dir, url, queueName, workers.size()));
            }
            CompletableFuture<Void> produced = CompletableFuture.runAsync(() -> produce(producer));

            for (int k = 0; k < KILLS; k++) {
                long threshold = (long) JOBS * (k + 1) / (KILLS + 2);
                Eventually.await(threshold + " jobs completed (logs in " + dir + ")", PATIENCE,
                        () -> completed(storage, queueName) >= threshold);
                int victim = k; // the oldest worker still running
                long running = storage.counts(queueName).get(JobState.PROCESSING);
                workers.get(victim).kill();
                killed.add(victim);
                System.out.println("killed worker-" + victim + " with " + running + " jobs PROCESSING in the schema");
                workers.add(startWorker(dir, url, queueName, workers.size()));
            }

            produced.get();
            Eventually.await("every job completed (logs in " + dir + ")", PATIENCE,
                    () -> completed(storage, queueName) == JOBS);
            for (int i = 0; i < workers.size(); i++) {
                if (!killed.contains(i)) {
                    assertTrue(workers.get(i).isAlive(), "worker-" + i + " still running (see worker" + i + "/)");
                    workers.get(i).stop(PATIENCE);
                }
            }

            Map<String, Integer> runs = new HashMap<>();
            Set<String> ranOnKilledWorkers = new HashSet<>();
            for (int i = 0; i < workers.size(); i++) {
                Set<String> mine = new HashSet<>();
                for (String id : Files.readAllLines(dir.resolve("runs-" + i + ".log"))) {
                    if (!id.isEmpty()) {
                        runs.merge(id, 1, Integer::sum);
                        mine.add(id);
                    }
                }
                if (killed.contains(i)) {
                    assertFalse(mine.isEmpty(), "killed worker-" + i + " had run jobs");
                    ranOnKilledWorkers.addAll(mine);
                }
            }
            assertEquals(JOBS, runs.size(), "every job ran at least once");
            List<String> repeatedElsewhere = new ArrayList<>();
            int extraRuns = 0;
            for (Map.Entry<String, Integer> e : runs.entrySet()) {
                extraRuns += e.getValue() - 1;
                if (e.getValue() > 1 && !ranOnKilledWorkers.contains(e.getKey())) {
                    repeatedElsewhere.add(e.getKey());
                }
            }
            System.out.println("runs: " + (JOBS + extraRuns) + " for " + JOBS + " jobs (" + extraRuns + " repeated after "
                    + KILLS + " kills)");
            assertEquals(List.of(), repeatedElsewhere, "jobs run more than once that no killed worker held");
            Map<JobState, Long> counts = storage.counts(queueName);
            assertEquals(JOBS, counts.get(JobState.COMPLETED), "COMPLETED: " + counts);
            assertEquals(0L, counts.get(JobState.FAILED), "FAILED: " + counts);
            assertEquals(0L, counts.get(JobState.PROCESSING), "PROCESSING: " + counts);
            for (int i = 0; i < JOBS; i += 97) {
                assertEquals(JobState.COMPLETED, storage.status(queueName, "job-" + i).orElseThrow().state(), "job-" + i);
            }
        } finally {
            for (ChildJvm w : workers) {
                if (w.isAlive()) {
                    w.kill();
                }
            }
        }
    }

    private static ChildJvm startWorker(Path dir, String url, String queueName, int index) {
        return ChildJvm.builder(PgCrashWorker.class).keepOutputIn(dir.resolve("worker" + index))
                .args(url, SCHEMA, queueName, "worker-" + index, dir.resolve("runs-" + index + ".log").toString()).start();
    }

    /** Enqueues job-0 .. job-(JOBS-1) in batches while the workers run and die. */
    private static void produce(Queue<String, String> producer) {
        for (int from = 0; from < JOBS; from += 200) {
            List<EnqueueRequest<String>> batch = new ArrayList<>();
            for (int i = from; i < Math.min(JOBS, from + 200); i++) {
                batch.add(EnqueueRequest.of("job-" + i, "payload " + i));
            }
            for (EnqueueResult<String> r : producer.enqueueAll(batch)) {
                if (r.kind() != EnqueueResult.Kind.QUEUED) {
                    throw new IllegalStateException("not queued: " + r);
                }
            }
        }
    }

    private static long completed(PostgresStorage storage, String queueName) {
        return storage.counts(queueName).get(JobState.COMPLETED);
    }
}
