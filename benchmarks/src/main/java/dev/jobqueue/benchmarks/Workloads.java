package dev.jobqueue.benchmarks;

import dev.jobqueue.EnqueueOptions;
import dev.jobqueue.EnqueueResult;
import dev.jobqueue.JobError;
import dev.jobqueue.Queue;
import dev.jobqueue.QueueListener;
import dev.jobqueue.spi.Storage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The peers' workloads (W1 fire-and-forget throughput, W2 drain of a pre-filled queue, W3
 * request/response) on one storage, producer and consumer in this JVM. Each workload gets a fresh
 * storage from the {@link StorageFactory} and returns the peers' JSON fields.
 */
final class Workloads {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_GRACE = Duration.ofSeconds(60);
    private static final int MAX_ERRORS = 5;

    private final HarnessOptions options;
    private final StorageFactory storages;
    private final CpuMeter cpu;
    private final RedisAdmin redis;
    private final Progress progress;
    private final String storageTagPrefix;

    /** {@code storageTagPrefix} keeps the storages of a warm-up pass apart from the timed ones ("" for those). */
    Workloads(HarnessOptions options, StorageFactory storages, CpuMeter cpu, RedisAdmin redis, Progress progress,
              String storageTagPrefix) {
        this.storageTagPrefix = storageTagPrefix;
        this.options = options;
        this.storages = storages;
        this.cpu = cpu;
        this.redis = redis;
        this.progress = progress;
    }

    /** W1: consumer (concurrency C) running while the producer enqueues N jobs, K in flight. */
    Map<String, Object> w1() throws Exception {
        int n = options.n();
        List<String> errors = errors();
        CompletionCounter done = new CompletionCounter(n);
        LongAdder queued = new LongAdder();
        LongAdder enqueued = new LongAdder();
        Map<String, Object> out = new LinkedHashMap<>();
        try (Storage storage = storages.create(storageTagPrefix + "w1");
             ProducerPool producers = producerPool("w1-producer", options.enqueueInflight())) {
            Queue<BenchPayload, BenchResult> queue = queue(storage, "w1", done, errors);
            queue.start();
            try {
                progress.phase("w1", () -> "enqueued " + enqueued.sum() + "/" + n + ", completed " + done.count() + "/" + n);
                CpuMeter.Snapshot cpu0 = cpu.snap();
                long t0 = System.nanoTime();
                enqueueAll(producers, queue, "w1", n, queued, enqueued);
                long tEnq = System.nanoTime();
                int completedAtEnqueueEnd = done.count();
                Long tLast = awaitCompletions(done, errors);
                Map<String, Object> cpuUsed = cpu.since(cpu0);
                out.put("n", n);
                out.put("queued", queued.sum());
                out.put("enqueue_jobs_per_s", Json.rate(n, Json.millisBetween(t0, tEnq)));
                out.put("enqueue_ms", Math.round(Json.millisBetween(t0, tEnq)));
                out.put("completed_when_enqueue_done", completedAtEnqueueEnd);
                out.put("completed", done.count());
                putRates(out, "e2e", done, t0, tLast);
                out.putAll(cpuUsed);
            } finally {
                queue.stop(STOP_GRACE);
            }
        }
        out.put("errors", errors);
        return out;
    }

    /**
     * W1's shape without a queue: the same producers hand the same no-op tasks (payload in, result
     * out) to a plain {@code ThreadPoolExecutor} with C threads. The yardstick for "how close to a
     * bare executor is MemoryStorage".
     */
    Map<String, Object> w1Executor() throws Exception {
        int n = options.n();
        CompletionCounter done = new CompletionCounter(n);
        LongAdder submitted = new LongAdder();
        ThreadPoolExecutor executor = new ThreadPoolExecutor(options.concurrency(), options.concurrency(), 1,
                TimeUnit.MINUTES, new LinkedBlockingQueue<>());
        executor.prestartAllCoreThreads();
        Map<String, Object> out = new LinkedHashMap<>();
        try (ProducerPool producers = producerPool("w1x-producer", options.enqueueInflight())) {
            progress.phase("w1 on a ThreadPoolExecutor", () -> "submitted " + submitted.sum() + "/" + n + ", completed " + done.count());
            CpuMeter.Snapshot cpu0 = cpu.snap();
            long t0 = System.nanoTime();
            IndexedSubmit submit = i -> {
                BenchPayload payload = BenchPayload.of(i);
                executor.execute(() -> {
                    if (BenchResult.of(payload).ok()) {
                        done.hit();
                    }
                });
                submitted.increment();
            };
            if (producers == null) { // async model: execute never blocks, so one thread submits them all
                for (int i = 0; i < n; i++) {
                    submit.submit(i);
                }
            } else {
                producers.run(n, submit::submit);
            }
            long tEnq = System.nanoTime();
            Long tLast = done.await(options.waitMs(), options.stallMs());
            out.put("n", n);
            out.put("threads", options.concurrency());
            out.put("enqueue_jobs_per_s", Json.rate(n, Json.millisBetween(t0, tEnq)));
            out.put("completed", done.count());
            putRates(out, "e2e", done, t0, tLast);
            out.putAll(cpu.since(cpu0));
        } finally {
            executor.shutdownNow();
        }
        return out;
    }

    /** W2: N jobs enqueued with no consumer running, then the consumer is started and the drain timed. */
    Map<String, Object> w2() throws Exception {
        return drain("w2", options.n(), false);
    }

    /**
     * W2 with {@code cmdsN} jobs, reporting Redis commands per job from {@code INFO commandstats}
     * over pre-fill and drain (commands run inside scripts included, as the peers count them).
     * The counters are server-wide: other clients of the same Redis add to them.
     */
    Map<String, Object> redisCommandsPerJob() throws Exception {
        return drain("cmds", options.cmdsN(), true);
    }

    private Map<String, Object> drain(String tag, int n, boolean countCommands) throws Exception {
        List<String> errors = errors();
        CompletionCounter done = new CompletionCounter(n);
        LongAdder queued = new LongAdder();
        LongAdder enqueued = new LongAdder();
        Map<String, Object> out = new LinkedHashMap<>();
        try (Storage storage = storages.create(storageTagPrefix + tag);
             ProducerPool producers = producerPool(tag + "-producer", options.enqueueInflight())) {
            // Built with its handler but not started: enqueue works, nothing is consumed yet.
            Queue<BenchPayload, BenchResult> queue = queue(storage, tag, done, errors);
            try {
                progress.phase(tag + " pre-fill", () -> "enqueued " + enqueued.sum() + "/" + n);
                Map<String, RedisAdmin.CommandStat> commands0 = countCommands ? redis.commandStats() : null;
                long t0 = System.nanoTime();
                enqueueAll(producers, queue, tag, n, queued, enqueued);
                long tFill = System.nanoTime();
                Map<String, RedisAdmin.CommandStat> commandsFilled = countCommands ? redis.commandStats() : null;
                progress.phase(tag + " drain", () -> "completed " + done.count() + "/" + n);
                CpuMeter.Snapshot cpu0 = cpu.snap();
                long t1 = System.nanoTime();
                queue.start();
                Long tLast = awaitCompletions(done, errors);
                Map<String, Object> cpuUsed = cpu.since(cpu0);
                Map<String, RedisAdmin.CommandStat> commands1 = countCommands ? redis.commandStats() : null;
                out.put("n", n);
                out.put("queued", queued.sum());
                out.put("prefill_jobs_per_s", Json.rate(n, Json.millisBetween(t0, tFill)));
                out.put("completed", done.count());
                putRates(out, "drain", done, t1, tLast);
                out.putAll(cpuUsed);
                if (countCommands) {
                    out.putAll(commandsPerJob(commands0, commands1, done.count()));
                    out.put("redis_script_usec_per_job_prefill", Json.r2(scriptUsec(commands0, commandsFilled) / (double) n));
                    out.put("redis_script_usec_per_job_drain",
                            Json.r2(scriptUsec(commandsFilled, commands1) / (double) Math.max(1, done.count())));
                }
            } finally {
                queue.stop(STOP_GRACE);
            }
        }
        out.put("errors", errors);
        return out;
    }

    /** W3: warm-up, then sequential enqueueAndWait calls, then (optionally) calls with K in flight. */
    Map<String, Object> w3(boolean withParallel) throws Exception {
        List<String> errors = errors();
        Map<String, Object> out = new LinkedHashMap<>();
        try (Storage storage = storages.create(storageTagPrefix + "w3")) {
            Queue<BenchPayload, BenchResult> queue = queue(storage, "w3", null, errors);
            queue.start();
            try {
                out.put("warmup_calls", options.w3Warmup());
                out.put("consumer_concurrency", options.concurrency());
                progress.phase("w3 warm-up", () -> "");
                for (int i = 0; i < options.w3Warmup(); i++) {
                    call(queue, "w3w-" + i, i);
                }
                double[] seq = new double[options.w3Seq()];
                LongAdder seqDone = new LongAdder();
                progress.phase("w3 sequential", () -> seqDone.sum() + "/" + seq.length);
                CpuMeter.Snapshot cpuS = cpu.snap();
                long ts = System.nanoTime();
                for (int i = 0; i < seq.length; i++) {
                    seq[i] = call(queue, "w3s-" + i, i);
                    seqDone.increment();
                }
                Map<String, Object> seqStats = LatencyStats.of(seq, Json.millisBetween(ts, System.nanoTime()));
                seqStats.putAll(cpu.since(cpuS));
                out.put("seq", seqStats);
                if (withParallel) {
                    out.put("par", parallel(queue));
                }
            } finally {
                queue.stop(STOP_GRACE);
            }
        }
        out.put("errors", errors);
        return out;
    }

    private Map<String, Object> parallel(Queue<BenchPayload, BenchResult> queue) throws Exception {
        double[] par = new double[options.w3Par()];
        LongAdder calls = new LongAdder();
        try (ProducerPool callers = producerPool("w3-caller", options.w3Inflight())) {
            progress.phase("w3 " + options.w3Inflight() + " in flight", () -> calls.sum() + "/" + par.length);
            CpuMeter.Snapshot cpuP = cpu.snap();
            long tp = System.nanoTime();
            if (callers == null) {
                AsyncProducer.run(par.length, options.w3Inflight(), i -> {
                    long t = System.nanoTime();
                    return queue.submit("w3p-" + i, BenchPayload.of(i), EnqueueOptions.defaults(), CALL_TIMEOUT)
                            .thenAccept(r -> {
                                check("w3p-" + i, i, r);
                                par[i] = Json.millisBetween(t, System.nanoTime());
                                calls.increment();
                            });
                });
            } else {
                callers.run(par.length, i -> {
                    par[i] = call(queue, "w3p-" + i, i);
                    calls.increment();
                });
            }
            Map<String, Object> stats = new LinkedHashMap<>();
            stats.put("inflight", options.w3Inflight());
            stats.putAll(LatencyStats.of(par, Json.millisBetween(tp, System.nanoTime())));
            stats.putAll(cpu.since(cpuP));
            return stats;
        }
    }

    /**
     * Enqueues ids {@code <tag>-0 .. <tag>-(n-1)}, K in flight (async: one thread and
     * {@code enqueueAsync}; threads: the pool's K threads and {@code enqueue}), counting what was created.
     */
    private void enqueueAll(ProducerPool producers, Queue<BenchPayload, BenchResult> queue, String tag, int n,
                            LongAdder queued, LongAdder enqueued) throws Exception {
        if (producers == null) {
            AsyncProducer.run(n, options.enqueueInflight(), i -> queue.enqueueAsync(tag + "-" + i, BenchPayload.of(i))
                    .thenAccept(r -> {
                        if (r.kind() == EnqueueResult.Kind.QUEUED) {
                            queued.increment();
                        }
                        enqueued.increment();
                    }));
            return;
        }
        producers.run(n, i -> {
            if (queue.enqueue(tag + "-" + i, BenchPayload.of(i)).kind() == EnqueueResult.Kind.QUEUED) {
                queued.increment();
            }
            enqueued.increment();
        });
    }

    /** The thread pool of the threads producer model; null in the async model (one thread, futures). */
    private ProducerPool producerPool(String name, int lanes) {
        return options.producer().equals("threads") ? new ProducerPool(name, lanes) : null;
    }

    /** One executor submission of the yardstick, by index. */
    @FunctionalInterface
    private interface IndexedSubmit {
        void submit(int i);
    }

    private static double call(Queue<BenchPayload, BenchResult> queue, String id, int i) throws InterruptedException {
        long t = System.nanoTime();
        BenchResult r = queue.enqueueAndWait(id, BenchPayload.of(i), CALL_TIMEOUT);
        check(id, i, r);
        return Json.millisBetween(t, System.nanoTime());
    }

    private static void check(String id, int i, BenchResult r) {
        if (r == null || !r.ok() || r.i() != i) {
            throw new IllegalStateException("bad result for " + id + ": " + r);
        }
    }

    private Queue<BenchPayload, BenchResult> queue(Storage storage, String name, CompletionCounter done, List<String> errors) {
        return Queue.builder(storage, BenchPayload.class, BenchResult.class)
                .name(name)
                .concurrency(options.concurrency())
                .handler(job -> BenchResult.of(job.payload()))
                .listener(new QueueListener() {
                    @Override
                    public void completed(String jobId, int attempt) {
                        if (done != null) {
                            done.hit();
                        }
                    }

                    @Override
                    public void failed(String jobId, JobError error) {
                        addError(errors, "failed " + jobId + ": " + error.message());
                    }

                    @Override
                    public void error(Throwable error) {
                        addError(errors, String.valueOf(error));
                    }
                })
                .build();
    }

    private Long awaitCompletions(CompletionCounter done, List<String> errors) throws InterruptedException {
        try {
            return done.await(options.waitMs(), options.stallMs());
        } catch (IllegalStateException gaveUp) {
            addError(errors, gaveUp.getMessage());
            return null;
        }
    }

    /** {@code <name>_jobs_per_s} and {@code <name>_ms}, or the peers' partial_* fields when not all completed. */
    private static void putRates(Map<String, Object> out, String name, CompletionCounter done, long fromNanos, Long lastNanos) {
        if (lastNanos != null) {
            out.put(name + "_jobs_per_s", Json.rate(done.target(), Json.millisBetween(fromNanos, lastNanos)));
            out.put(name + "_ms", Math.round(Json.millisBetween(fromNanos, lastNanos)));
            return;
        }
        out.put(name + "_jobs_per_s", null);
        out.put(name + "_ms", null);
        long last = done.lastAtNanos();
        out.put("partial_last_completion_ms", last == 0 ? null : Math.round(Json.millisBetween(fromNanos, last)));
        out.put("partial_jobs_per_s", last == 0 ? null : Json.rate(done.count(), Json.millisBetween(fromNanos, last)));
    }

    /**
     * Commands per job from two commandstats readings, the commands run inside scripts included
     * (as the peers count them), and the server time spent in scripts per job (a script's time
     * includes the commands it runs, so only EVALSHA/EVAL time is summed).
     */
    private static Map<String, Object> commandsPerJob(Map<String, RedisAdmin.CommandStat> before,
                                                      Map<String, RedisAdmin.CommandStat> after, int jobs) {
        Map<String, Long> calls = new HashMap<>();
        after.forEach((cmd, stat) -> {
            long d = stat.calls() - before.getOrDefault(cmd, NO_CALLS).calls();
            if (d > 0 && !cmd.equals("info")) { // our own INFO readings are not the queue's
                calls.put(cmd, d);
            }
        });
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(calls.entrySet());
        sorted.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
        Map<String, Object> breakdown = new LinkedHashMap<>();
        long total = 0;
        double perJob = Math.max(1, jobs);
        for (Map.Entry<String, Long> e : sorted) {
            total += e.getValue();
            breakdown.put(e.getKey(), Json.r2(e.getValue() / perJob));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("redis_commands_per_job", Json.r2(total / perJob));
        out.put("redis_commands_breakdown_per_job", breakdown);
        out.put("redis_script_usec_per_job", Json.r2(scriptUsec(before, after) / perJob));
        return out;
    }

    private static final RedisAdmin.CommandStat NO_CALLS = new RedisAdmin.CommandStat(0, 0);

    /** Server time (µs) spent in scripts between two commandstats readings. */
    private static long scriptUsec(Map<String, RedisAdmin.CommandStat> before, Map<String, RedisAdmin.CommandStat> after) {
        long usec = 0;
        for (String script : List.of("evalsha", "eval", "evalsha_ro", "eval_ro", "fcall")) {
            RedisAdmin.CommandStat a = after.get(script);
            if (a != null) {
                usec += a.usec() - before.getOrDefault(script, NO_CALLS).usec();
            }
        }
        return usec;
    }

    private static List<String> errors() {
        return Collections.synchronizedList(new ArrayList<>());
    }

    private static void addError(List<String> errors, String message) {
        synchronized (errors) {
            if (errors.size() < MAX_ERRORS) {
                errors.add(message);
            }
        }
    }
}
