package dev.jobqueue.benchmarks;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The harness's command line, in the peer scripts' {@code --key=value} style and with their
 * defaults (see {@code ../shared/peers/README.md}), so that one set of options drives both.
 *
 * <pre>{@code
 * HarnessOptions o = HarnessOptions.parse(new String[] {"--storage=redis", "--n=5000"});
 * }</pre>
 *
 * @param storage          memory, file, redis or postgres
 * @param durability       file only: fsync_each (default) or fsync_batched
 * @param n                jobs in W1 and W2
 * @param concurrency      consumer concurrency (handler threads)
 * @param enqueueInflight  enqueues outstanding at once in W1/W2
 * @param producer         async (default): one thread keeps the in-flight calls outstanding with
 *                         {@code enqueueAsync}/{@code submit}, as the peers do with promises;
 *                         threads: one thread per in-flight slot making blocking calls
 * @param w3Seq            W3 sequential calls (1 in flight)
 * @param w3Par            W3 parallel calls
 * @param w3Inflight       W3 parallel calls outstanding at once
 * @param w3Warmup         W3 warm-up calls, not counted
 * @param workloads        any of w1, w2, w3 (seq + parallel), w3seq (seq only), cmds (Redis
 *                         commands per job: W2 with {@code cmdsN} jobs, from INFO commandstats),
 *                         executor (W1's producers feeding a plain ThreadPoolExecutor, no queue)
 * @param cmdsN            jobs in the cmds workload
 * @param redisUrl         Redis for the redis storage and its INFO readings
 * @param pgUrl            PostgreSQL JDBC URL for the postgres storage ({@code --pg-url}, else the
 *                         {@code JOBQUEUE_PG_URL} environment variable, else the local test database);
 *                         the peers' {@code postgresql://user@host:port/db} form is accepted too
 * @param pgCountStatements postgres only ({@code --pg-count-statements}): the storage borrows from a
 *                         pool that counts statements, commits and checkouts per SQL text (profiling;
 *                         not the storage's own pool, so not for the timed rows)
 * @param waitMs           overall limit for one workload's completions
 * @param stallMs          give up after this long without a completion
 * @param watchdogMs       the whole run prints an error line and exits after this long
 * @param rep              repetition number copied into the output (compare uses it)
 * @param jitWarmup        jobs of an untimed W1 + W2 pass (own storage) before the timed ones, so
 *                         the timed part runs JIT-compiled code; 0 (default) measures like the peers
 */
public record HarnessOptions(String storage, String durability, int n, int concurrency, int enqueueInflight,
                             String producer, int w3Seq, int w3Par, int w3Inflight, int w3Warmup, Set<String> workloads,
                             int cmdsN, String redisUrl, String pgUrl, boolean pgCountStatements, int waitMs, int stallMs, int watchdogMs, Integer rep,
                             int jitWarmup) {

    static final List<String> STORAGES = List.of("memory", "file", "redis", "postgres");
    static final String DEFAULT_PG_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    static final List<String> DURABILITIES = List.of("fsync_each", "fsync_batched");
    static final List<String> PRODUCERS = List.of("async", "threads");
    static final List<String> WORKLOADS = List.of("w1", "w2", "w3", "w3seq", "cmds", "executor");

    private static final List<String> KNOWN = List.of("storage", "durability", "n", "concurrency", "enqueue-inflight", "producer",
            "w3-seq", "w3-par", "w3-inflight", "w3-warmup", "workloads", "cmds-n", "redis-url", "pg-url", "pg-count-statements", "wait-ms", "stall-ms",
            "watchdog-ms", "rep", "jit-warmup");

    /** Parses {@code --key=value} arguments; throws {@link IllegalArgumentException} naming a bad option. */
    public static HarnessOptions parse(String[] argv) {
        Map<String, String> args = new LinkedHashMap<>();
        for (String a : argv) {
            if (!a.startsWith("--") || a.length() == 2) {
                throw new IllegalArgumentException("arguments look like --key=value, got '" + a + "'");
            }
            int eq = a.indexOf('=');
            String key = eq < 0 ? a.substring(2) : a.substring(2, eq);
            if (!KNOWN.contains(key)) {
                throw new IllegalArgumentException("unknown option --" + key + " (known: --" + String.join(", --", KNOWN) + ")");
            }
            args.put(key, eq < 0 ? "" : a.substring(eq + 1));
        }
        String storage = oneOf(args, "storage", "memory", STORAGES);
        String durability = oneOf(args, "durability", "fsync_each", DURABILITIES);
        if (args.containsKey("durability") && !storage.equals("file")) {
            throw new IllegalArgumentException("--durability applies to --storage=file only");
        }
        Set<String> workloads = workloads(args.getOrDefault("workloads",
                storage.equals("redis") ? "w1,w2,w3,cmds" : storage.equals("memory") ? "w1,w2,w3,executor" : "w1,w2,w3"));
        if (workloads.contains("cmds") && !storage.equals("redis")) {
            throw new IllegalArgumentException("--workloads: cmds (Redis commands per job) needs --storage=redis");
        }
        if (args.containsKey("pg-count-statements") && !storage.equals("postgres")) {
            throw new IllegalArgumentException("--pg-count-statements applies to --storage=postgres only");
        }
        String rep = args.get("rep");
        return new HarnessOptions(storage, storage.equals("file") ? durability : null,
                positive(args, "n", 50_000), positive(args, "concurrency", 64), positive(args, "enqueue-inflight", 256),
                oneOf(args, "producer", "async", PRODUCERS),
                positive(args, "w3-seq", 2_000), positive(args, "w3-par", 20_000), positive(args, "w3-inflight", 100),
                positive(args, "w3-warmup", 200), workloads, positive(args, "cmds-n", 5_000),
                args.getOrDefault("redis-url", "redis://127.0.0.1:6379"), pgUrl(args.get("pg-url")), flag(args, "pg-count-statements"), positive(args, "wait-ms", 300_000),
                positive(args, "stall-ms", 30_000), positive(args, "watchdog-ms", 540_000),
                rep == null ? null : positive(args, "rep", 1), nonNegative(args, "jit-warmup", 0));
    }

    /** The label the summary groups rows by, e.g. {@code file, fsync_each}. */
    public String storageLabel() {
        return durability == null ? storage : storage + ", " + durability;
    }

    private static String oneOf(Map<String, String> args, String key, String dflt, List<String> allowed) {
        String v = args.getOrDefault(key, dflt);
        if (!allowed.contains(v)) {
            throw new IllegalArgumentException("--" + key + " must be one of " + String.join("|", allowed) + ", got '" + v + "'");
        }
        return v;
    }

    private static int positive(Map<String, String> args, String key, int dflt) {
        String v = args.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.replace("_", ""));
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the option's name
        }
        throw new IllegalArgumentException("--" + key + " must be a positive integer, got '" + v + "'");
    }

    private static boolean flag(Map<String, String> args, String key) {
        String v = args.get(key);
        if (v == null) {
            return false;
        }
        if (v.isEmpty() || v.equals("true")) {
            return true;
        }
        if (v.equals("false")) {
            return false;
        }
        throw new IllegalArgumentException("--" + key + " takes no value (or true|false), got '" + v + "'");
    }

    private static int nonNegative(Map<String, String> args, String key, int dflt) {
        return "0".equals(args.get(key)) ? 0 : positive(args, key, dflt);
    }

    /** The same options with {@code n} jobs in W1/W2 (the JIT warm-up pass). */
    HarnessOptions withN(int jobs) {
        return new HarnessOptions(storage, durability, jobs, concurrency, enqueueInflight, producer, w3Seq, w3Par, w3Inflight,
                w3Warmup, workloads, cmdsN, redisUrl, pgUrl, pgCountStatements, waitMs, stallMs, watchdogMs, rep, 0);
    }

    /**
     * The JDBC URL to use: the option, else {@code JOBQUEUE_PG_URL}, else the local test database. A
     * peer-style {@code postgresql://user@host:port/db} becomes {@code jdbc:postgresql://host:port/db?user=user}.
     */
    static String pgUrl(String option) {
        String url = option != null ? option : System.getenv().getOrDefault("JOBQUEUE_PG_URL", DEFAULT_PG_URL);
        if (url.startsWith("jdbc:postgresql:")) {
            return url;
        }
        for (String scheme : List.of("postgresql://", "postgres://")) {
            if (url.startsWith(scheme)) {
                String rest = url.substring(scheme.length());
                int at = rest.indexOf('@');
                if (at < 0) {
                    return "jdbc:postgresql://" + rest;
                }
                String user = rest.substring(0, at);
                String hostAndDb = rest.substring(at + 1);
                if (user.contains(":")) {
                    throw new IllegalArgumentException("--pg-url: put the password in a JDBC URL (jdbc:postgresql://...?password=), not in " + scheme);
                }
                return "jdbc:postgresql://" + hostAndDb + (hostAndDb.contains("?") ? "&" : "?") + "user=" + user;
            }
        }
        throw new IllegalArgumentException("--pg-url must be a jdbc:postgresql: or postgresql:// URL, got '" + url + "'");
    }

    private static Set<String> workloads(String list) {
        Set<String> out = new LinkedHashSet<>();
        for (String w : list.split(",")) {
            String name = w.trim();
            if (!WORKLOADS.contains(name)) {
                throw new IllegalArgumentException("--workloads: unknown workload '" + name + "' (known: "
                        + String.join(",", WORKLOADS) + ")");
            }
            out.add(name);
        }
        if (out.contains("w3") && out.contains("w3seq")) {
            out.remove("w3seq"); // w3 includes the sequential part
        }
        return Set.copyOf(out);
    }
}
