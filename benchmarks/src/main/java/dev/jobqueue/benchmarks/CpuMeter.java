package dev.jobqueue.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of this JVM process and, when a Redis is under test, of the Redis server, over a
 * timed section (the peers' {@code cpuSnap}/{@code cpuSince}). The JVM's figure is printed as
 * {@code node_cpu_ms} too, the key the peers' tables read for "the library's process".
 */
final class CpuMeter {
    /** One reading; {@code redisMs} is null without Redis. */
    record Snapshot(long processNanos, Double redisMs) {
    }

    private final com.sun.management.OperatingSystemMXBean os;
    private final RedisAdmin redis;

    CpuMeter(RedisAdmin redis) {
        this.os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        this.redis = redis;
    }

    Snapshot snap() {
        return new Snapshot(os.getProcessCpuTime(), redis == null ? null : redis.cpuMs());
    }

    Map<String, Object> since(Snapshot a) {
        Snapshot b = snap();
        long processMs = Math.round((b.processNanos() - a.processNanos()) / 1e6);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("node_cpu_ms", processMs);
        out.put("jvm_cpu_ms", processMs);
        out.put("redis_cpu_ms", a.redisMs() == null ? null : Math.round(b.redisMs() - a.redisMs()));
        return out;
    }
}
