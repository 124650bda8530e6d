package dev.jobqueue.dashboard;

import dev.jobqueue.redis.RedisStorage;
import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The shared test Redis (REDIS_URL, default redis://127.0.0.1:6379): a storage under a key prefix
 * of its own, and the removal of exactly that prefix's keys afterwards (never FLUSHDB).
 */
final class RedisServers {
    private RedisServers() {
    }

    static String url() {
        String url = System.getenv("REDIS_URL");
        return url == null || url.isEmpty() ? "redis://127.0.0.1:6379" : url;
    }

    /** Skips the test (a JUnit assumption) when no Redis answers, unless CI requires one. */
    static void assumeReachable() {
        URI uri = URI.create(url());
        try (Jedis jedis = new Jedis(uri)) {
            jedis.ping();
        } catch (RuntimeException e) {
            if (System.getenv("CI_REQUIRE_REDIS") != null) {
                throw e;
            }
            Assumptions.abort("no Redis at " + url() + ": " + e);
        }
    }

    static String newPrefix() {
        return "jq-dash-test-" + UUID.randomUUID();
    }

    static RedisStorage storage(String prefix) {
        return RedisStorage.builder().uri(url()).keyPrefix(prefix).build();
    }

    static void deleteKeys(String prefix) {
        try (Jedis jedis = new Jedis(URI.create(url()))) {
            String cursor = ScanParams.SCAN_POINTER_START;
            ScanParams match = new ScanParams().match(prefix + ":*").count(500);
            do {
                ScanResult<String> page = jedis.scan(cursor, match);
                if (!page.getResult().isEmpty()) {
                    jedis.del(page.getResult().toArray(String[]::new));
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        }
    }
}
