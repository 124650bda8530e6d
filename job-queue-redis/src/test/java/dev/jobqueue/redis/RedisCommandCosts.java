package dev.jobqueue.redis;

import java.util.HashMap;
import java.util.Map;
import redis.clients.jedis.Jedis;

/**
 * Counts the commands a private redis-server ran (INFO commandstats), so that a test can measure
 * what a storage call costs: {@link #take} returns the commands run since the previous take, by
 * name, without the INFO calls themselves.
 */
final class RedisCommandCosts implements AutoCloseable {
    private final Jedis jedis;
    private Map<String, Long> last;

    RedisCommandCosts(int port) {
        this.jedis = new Jedis("127.0.0.1", port);
        this.last = stats();
    }

    /** Commands run since the previous call, by lower-case name (evalsha, hmget, ...). */
    Map<String, Long> take() {
        Map<String, Long> now = stats();
        Map<String, Long> delta = new HashMap<>();
        for (Map.Entry<String, Long> e : now.entrySet()) {
            long d = e.getValue() - last.getOrDefault(e.getKey(), 0L);
            if (d > 0 && !e.getKey().equals("info")) {
                delta.put(e.getKey(), d);
            }
        }
        last = stats();
        return delta;
    }

    /** Script calls (EVALSHA and EVAL) in a delta: one per round trip for a single sequential call. */
    static long scriptCalls(Map<String, Long> delta) {
        return delta.getOrDefault("evalsha", 0L) + delta.getOrDefault("eval", 0L);
    }

    /** Commands run inside scripts and outside them, without the script calls themselves. */
    static long commands(Map<String, Long> delta) {
        return delta.values().stream().mapToLong(Long::longValue).sum() - scriptCalls(delta);
    }

    private Map<String, Long> stats() {
        Map<String, Long> calls = new HashMap<>();
        for (String line : jedis.info("commandstats").split("\r?\n")) {
            if (line.startsWith("cmdstat_")) {
                String name = line.substring("cmdstat_".length(), line.indexOf(':'));
                int at = line.indexOf("calls=") + "calls=".length();
                calls.put(name, Long.parseLong(line.substring(at, line.indexOf(',', at))));
            }
        }
        return calls;
    }

    @Override
    public void close() {
        jedis.close();
    }
}
