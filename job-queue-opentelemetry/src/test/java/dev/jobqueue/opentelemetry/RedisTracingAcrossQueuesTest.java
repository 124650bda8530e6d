package dev.jobqueue.opentelemetry;

import dev.jobqueue.redis.RedisStorage;
import dev.jobqueue.spi.Storage;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Tracing across a producer and a worker queue, each with its own RedisStorage (its own
 * connections), on one real Redis: {@code REDIS_URL}, default {@code redis://127.0.0.1:6379}. Keys
 * live under a prefix of this test's own and are deleted afterwards (never FLUSHDB).
 */
class RedisTracingAcrossQueuesTest extends TracingAcrossQueuesContract {
    private static final String URL = System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379");

    private final String prefix = "jqotel-" + UUID.randomUUID();
    private final List<RedisStorage> storages = new ArrayList<>();

    private Storage newStorage() {
        RedisStorage storage = RedisStorage.builder().uri(URL).keyPrefix(prefix).build();
        storages.add(storage);
        return storage;
    }

    @Override
    Storage producerStorage() {
        return newStorage();
    }

    @Override
    Storage workerStorage() {
        return newStorage();
    }

    @Override
    String queueName() {
        return "traced";
    }

    @Override
    void closeStorages() {
        storages.forEach(RedisStorage::close);
        try (UnifiedJedis jedis = RedisClient.create(URL)) {
            ScanParams params = new ScanParams().match(prefix + "*").count(1000);
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = jedis.scan(cursor, params);
                page.getResult().forEach(jedis::del);
                cursor = page.getCursor();
            } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
        }
    }
}
