package dev.jobqueue.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs the peers' workloads (W1, W2, W3; see {@code ../shared/peers/README.md}) against one
 * storage, producer and consumer in this JVM, and prints ONE JSON line with the peer scripts'
 * keys so that both tabulate side by side. Progress goes to stderr.
 *
 * <pre>{@code
 * benchmarks/run --storage=redis --redis-url=redis://127.0.0.1:6379 --workloads=w1,w2,w3
 * benchmarks/run --storage=file --durability=fsync_each --n=20000
 * }</pre>
 *
 * <p>"K in flight" means K threads each making blocking calls ({@code enqueue} in W1/W2,
 * {@code enqueueAndWait} in W3), as {@link ProducerPool} explains. Every run uses a fresh Redis key
 * prefix ({@code jqbench:<run>:<workload>:}) or temp directory per workload and deletes it afterwards.
 */
public final class Harness {
    static final String LIB = "job-queue";

    private Harness() {
    }

    public static void main(String[] argv) {
        HarnessOptions options;
        try {
            options = HarnessOptions.parse(argv);
        } catch (IllegalArgumentException e) {
            System.err.println("benchmarks: " + e.getMessage());
            System.exit(64);
            return;
        }
        startWatchdog(options.watchdogMs());
        Map<String, Object> result = run(options);
        System.out.println(Json.line(result));
        System.out.flush();
        System.exit(result.containsKey("error") ? 1 : 0);
    }

    /** Runs the selected workloads and returns the result line's content (an {@code error} key when it failed). */
    static Map<String, Object> run(HarnessOptions options) {
        String runId = Long.toString(System.currentTimeMillis(), 36) + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000000));
        Properties build = buildProperties();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("lib", LIB);
        result.put("version", build.getProperty("version"));
        result.put("commit", System.getProperty("jobqueue.bench.commit")); // set by benchmarks/run
        result.put("storage", options.storage());
        result.put("durability", options.durability());
        result.put("label", LIB + " (" + options.storageLabel() + ")");
        result.put("rep", options.rep());
        result.put("same_process_producer_consumer", true);
        result.put("inflight_model", options.producer().equals("async")
                ? "async: one producer thread keeps K enqueueAsync/submit futures in flight"
                : "threads: K blocking calls in flight = K caller threads");
        result.put("config", config(options, runId));
        result.put("env", env());
        RedisAdmin redis = null;
        PostgresAdmin pg = null;
        StorageFactory storages = null;
        try (Progress progress = new Progress(LIB + " " + options.storageLabel(), 2000)) {
            if (options.storage().equals("redis")) {
                redis = new RedisAdmin(options.redisUrl());
                result.put("redis_version", redis.version());
                result.put("driver", "jedis " + build.getProperty("jedis"));
            }
            if (options.storage().equals("postgres")) {
                pg = new PostgresAdmin(options.pgUrl());
            }
            storages = StorageFactory.forOptions(options, runId, redis);
            result.putAll(storages.facts());
            CpuMeter cpu = new CpuMeter(redis, pg);
            if (options.jitWarmup() > 0) {
                Workloads warmup = new Workloads(options.withN(options.jitWarmup()), storages, cpu, redis, progress, "warmup-");
                warmup.w1();
                warmup.w2();
            }
            Workloads workloads = new Workloads(options, storages, cpu, redis, progress, "");
            if (options.workloads().contains("w1")) {
                result.put("w1", workloads.w1());
            }
            if (options.workloads().contains("w2")) {
                result.put("w2", workloads.w2());
            }
            if (options.workloads().contains("w3") || options.workloads().contains("w3seq")) {
                result.put("w3", workloads.w3(options.workloads().contains("w3")));
            }
            if (options.workloads().contains("executor")) {
                result.put("w1_executor", workloads.w1Executor());
            }
            if (options.workloads().contains("cmds")) {
                result.put("cmds", workloads.redisCommandsPerJob());
            }
            progress.print("done");
        } catch (Exception | Error e) {
            result.put("error", stackTrace(e));
        } finally {
            try {
                if (storages != null) {
                    result.putAll(storages.cleanup());
                }
            } catch (Exception e) {
                result.put("cleanup_error", String.valueOf(e));
            }
            if (redis != null) {
                redis.close();
            }
            if (pg != null) {
                try {
                    pg.close();
                } catch (SQLException e) {
                    result.put("cleanup_error", String.valueOf(e));
                }
            }
        }
        return result;
    }

    private static Map<String, Object> config(HarnessOptions o, String runId) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("n", o.n());
        c.put("enqueue_inflight", o.enqueueInflight());
        c.put("consumer_concurrency", o.concurrency());
        c.put("w3_seq", o.w3Seq());
        c.put("w3_par", o.w3Par());
        c.put("w3_par_inflight", o.w3Inflight());
        c.put("w3_warmup", o.w3Warmup());
        c.put("cmds_n", o.workloads().contains("cmds") ? o.cmdsN() : null);
        c.put("stall_ms", o.stallMs());
        c.put("jit_warmup_jobs", o.jitWarmup());
        c.put("run", runId);
        return c;
    }

    private static Map<String, Object> env() {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        e.put("jvm_args", ManagementFactory.getRuntimeMXBean().getInputArguments());
        e.put("cpus", Runtime.getRuntime().availableProcessors());
        e.put("cpu_model", cpuModel());
        e.put("date", Instant.now().toString());
        return e;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: leave it out
        }
        return null;
    }

    private static Properties buildProperties() {
        Properties p = new Properties();
        try (InputStream in = Harness.class.getResourceAsStream("harness.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // versions stay unknown; the measurement does not depend on them
        }
        return p;
    }

    /** A hung run still prints one line (an error) and ends, like the peers' watchdog. */
    private static void startWatchdog(long ms) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                return;
            }
            System.out.println(Json.line(Map.of("lib", LIB, "error", "watchdog: run exceeded " + ms + " ms")));
            System.out.flush();
            Runtime.getRuntime().halt(2);
        }, "bench-watchdog");
        t.setDaemon(true);
        t.start();
    }

    private static String stackTrace(Throwable e) {
        StringWriter w = new StringWriter();
        e.printStackTrace(new PrintWriter(w));
        return w.toString();
    }
}
