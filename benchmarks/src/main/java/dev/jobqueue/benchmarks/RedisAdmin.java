package dev.jobqueue.benchmarks;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The benchmarks' own connection to the Redis under test: server CPU ({@code INFO cpu}), command
 * counts ({@code INFO commandstats}) and deletion of a run's keys. Not thread-safe: one thread only.
 *
 * <pre>{@code
 * try (RedisAdmin admin = new RedisAdmin("redis://127.0.0.1:6379")) {
 *     admin.deleteByPattern("jqbench:" + runId + ":*");
 * }
 * }</pre>
 */
public final class RedisAdmin implements AutoCloseable {
    private final Jedis jedis;

    public RedisAdmin(String redisUrl) {
        this.jedis = new Jedis(URI.create(redisUrl));
    }

    String version() {
        return field(jedis.info("server"), "redis_version");
    }

    /** Server CPU (user + sys) in ms since it started. */
    double cpuMs() {
        String info = jedis.info("cpu");
        return (Double.parseDouble(field(info, "used_cpu_user")) + Double.parseDouble(field(info, "used_cpu_sys"))) * 1000;
    }

    /** Calls and server time of one command since the server started (or its last CONFIG RESETSTAT). */
    record CommandStat(long calls, long usec) {
    }

    /**
     * {@code INFO commandstats} by command name. Commands run inside scripts are counted too
     * (and their time is also inside the script's EVALSHA time).
     */
    Map<String, CommandStat> commandStats() {
        Map<String, CommandStat> stats = new HashMap<>();
        for (String line : jedis.info("commandstats").split("\r?\n")) {
            // cmdstat_evalsha:calls=10,usec=123,usec_per_call=12.30,rejected_calls=0,failed_calls=0
            if (line.startsWith("cmdstat_")) {
                int colon = line.indexOf(':');
                String name = line.substring("cmdstat_".length(), colon);
                long calls = 0;
                long usec = 0;
                for (String kv : line.substring(colon + 1).split(",")) {
                    if (kv.startsWith("calls=")) {
                        calls = Long.parseLong(kv.substring("calls=".length()));
                    } else if (kv.startsWith("usec=")) {
                        usec = Long.parseLong(kv.substring("usec=".length()));
                    }
                }
                stats.put(name, new CommandStat(calls, usec));
            }
        }
        return stats;
    }

    /** Deletes every key matching {@code pattern} (SCAN + UNLINK); returns how many. */
    public long deleteByPattern(String pattern) {
        String cursor = ScanParams.SCAN_POINTER_START;
        ScanParams params = new ScanParams().match(pattern).count(1000);
        long deleted = 0;
        do {
            ScanResult<String> page = jedis.scan(cursor, params);
            cursor = page.getCursor();
            List<String> keys = page.getResult();
            if (!keys.isEmpty()) {
                deleted += jedis.unlink(keys.toArray(new String[0]));
            }
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return deleted;
    }

    private static String field(String info, String name) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).trim();
            }
        }
        throw new IllegalStateException("Redis INFO has no field " + name);
    }

    @Override
    public void close() {
        jedis.close();
    }
}
