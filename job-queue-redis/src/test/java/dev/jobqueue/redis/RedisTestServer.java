package dev.jobqueue.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The Redis every test in this module talks to: {@code REDIS_URL} when set; else
 * {@code redis://127.0.0.1:6379} when a Redis answers PING there; else a Testcontainers Redis when
 * a Docker engine answers; else a failure saying how to provide one. Tests never
 * FLUSHDB: each uses its own key prefix ({@link #uniquePrefix}) and deletes its keys
 * ({@link #deleteKeys}).
 *
 * <pre>{@code
 * RedisStorage storage = RedisStorage.builder().uri(RedisTestServer.url()).keyPrefix(RedisTestServer.uniquePrefix()).build();
 * }</pre>
 */
public final class RedisTestServer {
    static final String LOCAL_URL = "redis://127.0.0.1:6379";
    static final String HOW_TO = "No Redis for the tests: start redis-server on 127.0.0.1:6379, or set REDIS_URL"
            + " (e.g. export REDIS_URL=redis://10.0.0.5:6379), or run a Docker engine so that Testcontainers can start one";
    private static String url;
    private static RuntimeException unavailable;
    private static GenericContainer<?> container;

    private RedisTestServer() {
    }

    /** The URL of the test Redis, chosen once per JVM (a failure too, so that Docker is probed once). */
    public static synchronized String url() {
        if (url == null && unavailable == null) {
            try {
                url = select(System::getenv, RedisTestServer::localAnswers, RedisTestServer::dockerAnswers,
                        RedisTestServer::startContainer);
            } catch (RuntimeException e) {
                unavailable = e;
            }
        }
        if (unavailable != null) {
            throw unavailable;
        }
        return url;
    }

    /** The selection rule, with its inputs injected so that every branch is unit-tested without Docker. */
    static String select(Function<String, String> env, BooleanSupplier localRedisAnswers, BooleanSupplier dockerAvailable,
                         Supplier<String> startContainer) {
        String fromEnv = env.apply("REDIS_URL");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.trim();
        }
        if (localRedisAnswers.getAsBoolean()) {
            return LOCAL_URL;
        }
        if (dockerAvailable.getAsBoolean()) {
            return startContainer.get();
        }
        throw new IllegalStateException(HOW_TO);
    }

    private static boolean localAnswers() {
        try (Jedis jedis = new Jedis("127.0.0.1", 6379, 1000)) {
            return "PONG".equals(jedis.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean dockerAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static String startContainer() {
        container = new GenericContainer<>("redis:7.2-alpine").withExposedPorts(6379);
        container.start();
        return "redis://" + container.getHost() + ":" + container.getMappedPort(6379);
    }

    /** A key prefix no other test uses. */
    public static String uniquePrefix() {
        return "jqtest-redis-" + UUID.randomUUID();
    }

    /** Deletes every key under {@code prefix} (SCAN MATCH, never FLUSHDB). */
    public static void deleteKeys(String prefix) {
        try (UnifiedJedis jedis = RedisClient.create(url())) {
            deleteKeys(jedis, prefix);
        }
    }

    static void deleteKeys(UnifiedJedis jedis, String prefix) {
        for (String key : keys(jedis, prefix)) {
            jedis.del(key);
        }
    }

    /** Every key under {@code prefix}. */
    static List<String> keys(UnifiedJedis jedis, String prefix) {
        List<String> keys = new ArrayList<>();
        ScanParams params = new ScanParams().match(globEscape(prefix) + "*").count(1000);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = jedis.scan(cursor, params);
            keys.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
        return keys;
    }

    private static String globEscape(String s) {
        return s.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
    }
}
