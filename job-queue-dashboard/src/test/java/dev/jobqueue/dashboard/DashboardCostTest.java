package dev.jobqueue.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.memory.MemoryStorage;
import dev.jobqueue.redis.RedisStorage;
import dev.jobqueue.spi.Storage;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * What a page load costs: storage calls per API request (a counting proxy around a MemoryStorage)
 * and Redis commands per request (INFO commandstats deltas of a private redis-server, so no other
 * test's traffic counts). Prints the numbers the README quotes and checks that they do not grow
 * with the number of jobs.
 */
class DashboardCostTest {
    private static final int QUEUES = 3;

    @Test
    void storageCallsPerRequestDoNotGrowWithTheJobs() throws Exception {
        Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
        MemoryStorage memory = new MemoryStorage();
        Storage counting = (Storage) Proxy.newProxyInstance(Storage.class.getClassLoader(), new Class<?>[] {Storage.class},
                (proxy, method, args) -> {
                    calls.computeIfAbsent(method.getName(), n -> new AtomicLong()).incrementAndGet();
                    try {
                        return method.invoke(memory, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        for (int q = 0; q < QUEUES; q++) {
            TestQueues.populate(memory, "queue-" + q);
            for (int i = 0; i < 2000; i++) {
                memory.enqueue("queue-" + q, TestQueues.job("bulk-" + i, Duration.ZERO, 1));
            }
        }
        try (DashboardServer server = Dashboard.builder(counting).token(DashboardApiContract.TOKEN).port(0)
                .sampleInterval(Duration.ofHours(1)).start()) {
            HttpProbe p = new HttpProbe(server.uri());
            awaitFirstSample(calls);
            Map<String, Map<String, Long>> costs = new TreeMap<>();
            for (String request : new String[] {"api/queues", "api/throughput", "api/jobs?queue=queue-0&state=QUEUED&limit=50",
                    "api/job?queue=queue-0&id=job-failed"}) {
                calls.clear();
                assertEquals(200, p.get(request, "Authorization", "Bearer " + DashboardApiContract.TOKEN).status());
                costs.put(request, snapshot(calls));
            }
            costs.forEach((request, c) -> System.out.println("storage calls for GET " + request + ": " + c));
            assertEquals(Map.of("queueNames", 1L, "counts", (long) QUEUES, "isPaused", (long) QUEUES, "listJobs", (long) QUEUES),
                    costs.get("api/queues"));
            assertEquals(Map.of(), costs.get("api/throughput"));
            assertEquals(Map.of("listJobs", 1L), costs.get("api/jobs?queue=queue-0&state=QUEUED&limit=50"));
            assertEquals(Map.of("status", 1L), costs.get("api/job?queue=queue-0&id=job-failed"));
        }
    }

    @Test
    void redisCommandsPerRequest(@TempDir Path dir) throws Exception {
        try (PrivateRedis redis = PrivateRedis.start(dir);
             RedisStorage storage = RedisStorage.builder().uri(redis.url()).keyPrefix("cost").build();
             Jedis jedis = new Jedis("127.0.0.1", redis.port)) {
            for (int q = 0; q < QUEUES; q++) {
                TestQueues.populate(storage, "queue-" + q);
            }
            try (DashboardServer server = Dashboard.builder(storage).token(DashboardApiContract.TOKEN).port(0)
                    .sampleInterval(Duration.ofHours(1)).start()) {
                HttpProbe p = new HttpProbe(server.uri());
                String auth = "Bearer " + DashboardApiContract.TOKEN;
                for (String request : new String[] {"api/queues", "api/jobs?queue=queue-0&state=QUEUED&limit=50",
                        "api/job?queue=queue-0&id=job-failed"}) {
                    p.get(request, "Authorization", auth); // loads the scripts
                    Map<String, Long> before = stats(jedis);
                    assertEquals(200, p.get(request, "Authorization", auth).status());
                    Map<String, Long> delta = delta(before, stats(jedis));
                    long scripts = delta.getOrDefault("evalsha", 0L) + delta.getOrDefault("eval", 0L);
                    long commands = delta.values().stream().mapToLong(Long::longValue).sum() - scripts;
                    System.out.printf("Redis for GET %s (%d queues): %d script calls, %d commands inside; %s%n",
                            request, QUEUES, scripts, commands, delta);
                    assertTrue(scripts <= 2 + 3L * QUEUES + QUEUES, delta.toString());
                }
            }
        }
    }

    private static void awaitFirstSample(Map<String, AtomicLong> calls) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (calls.getOrDefault("finishedTotals", new AtomicLong()).get() < QUEUES && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private static Map<String, Long> snapshot(Map<String, AtomicLong> calls) {
        Map<String, Long> out = new TreeMap<>();
        calls.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    private static Map<String, Long> stats(Jedis jedis) {
        Map<String, Long> calls = new TreeMap<>();
        for (String line : jedis.info("commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_")) {
                String name = line.substring("cmdstat_".length(), line.indexOf(':'));
                int at = line.indexOf("calls=") + "calls=".length();
                calls.put(name, Long.parseLong(line.substring(at, line.indexOf(',', at))));
            }
        }
        return calls;
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> d = new TreeMap<>();
        after.forEach((k, v) -> {
            long n = v - before.getOrDefault(k, 0L);
            if (n > 0 && !k.equals("info")) {
                d.put(k, n);
            }
        });
        return d;
    }

    /** A redis-server of this test's own on a free port (skipped when the binary is missing). */
    static final class PrivateRedis implements AutoCloseable {
        final int port;
        private final Process process;

        private PrivateRedis(int port, Process process) {
            this.port = port;
            this.process = process;
        }

        static PrivateRedis start(Path dir) throws IOException, InterruptedException {
            Path binary = Path.of("/usr/bin/redis-server");
            Assumptions.assumeTrue(Files.isExecutable(binary), "redis-server is not installed");
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Process p = new ProcessBuilder(binary.toString(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                try (Jedis j = new Jedis("127.0.0.1", port)) {
                    j.ping();
                    return new PrivateRedis(port, p);
                } catch (RuntimeException notYet) {
                    Thread.sleep(50);
                }
            }
            p.destroyForcibly();
            throw new IllegalStateException("redis-server did not answer on port " + port);
        }

        String url() {
            return "redis://127.0.0.1:" + port;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor();
        }
    }
}
