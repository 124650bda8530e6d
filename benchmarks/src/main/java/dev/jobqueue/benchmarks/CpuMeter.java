package dev.jobqueue.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of this JVM process and, when a Redis is under test, of the Redis server, over a
 * timed section (the peers' {@code cpuSnap}/{@code cpuSince}). The JVM's figure is printed as
 * {@code node_cpu_ms} too, the key the peers' tables read for "the library's process". With a
 * PostgreSQL under test, the server's CPU, commits, rows and WAL fsyncs over the section are
 * added as {@code pg_*} keys (each reading waits about a second for the server's statistics).
 */
final class CpuMeter {
    /** One reading; {@code redisMs} is null without Redis. */
    record Snapshot(long processNanos, Double redisMs, Map<String, Long> pg) {
    }

    private final com.sun.management.OperatingSystemMXBean os;
    private final RedisAdmin redis;
    private final PostgresAdmin pg;

    CpuMeter(RedisAdmin redis, PostgresAdmin pg) {
        this.os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        this.redis = redis;
        this.pg = pg;
    }

    Snapshot snap() {
        Map<String, Long> pgCounters = pg == null ? null : pg.counters(); // read first: it waits for the statistics
        return new Snapshot(os.getProcessCpuTime(), redis == null ? null : redis.cpuMs(), pgCounters);
    }

    Map<String, Object> since(Snapshot a) {
        long processNanos = os.getProcessCpuTime();
        Map<String, Long> pgCounters = pg == null ? null : pg.counters();
        Snapshot b = new Snapshot(processNanos, redis == null ? null : redis.cpuMs(), pgCounters);
        long processMs = Math.round((b.processNanos() - a.processNanos()) / 1e6);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("node_cpu_ms", processMs);
        out.put("jvm_cpu_ms", processMs);
        out.put("redis_cpu_ms", a.redisMs() == null ? null : Math.round(b.redisMs() - a.redisMs()));
        if (a.pg() != null) {
            out.putAll(PostgresAdmin.delta(a.pg(), b.pg()));
        }
        return out;
    }
}
