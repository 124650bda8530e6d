package dev.jobqueue.benchmarks;

import dev.jobqueue.redis.RedisStorage;
import dev.jobqueue.spi.Storage;
import java.util.Map;

/**
 * A {@link RedisStorage} with a fresh key prefix per workload ({@code jqbench:<run>:<workload>});
 * afterwards every key under {@code jqbench:<run>:} is deleted (never a FLUSHDB).
 */
final class RedisStorages implements StorageFactory {
    private final String redisUrl;
    private final String runPrefix;
    private final RedisAdmin admin;

    RedisStorages(String redisUrl, String runId, RedisAdmin admin) {
        this.redisUrl = redisUrl;
        this.runPrefix = "jqbench:" + runId;
        this.admin = admin;
    }

    @Override
    public Storage create(String tag) {
        return RedisStorage.builder().uri(redisUrl).keyPrefix(runPrefix + ":" + tag).build();
    }

    @Override
    public Map<String, Object> facts() {
        return Map.of("key_prefix", runPrefix + ":");
    }

    @Override
    public Map<String, Object> cleanup() {
        return Map.of("cleanup_deleted_keys", admin.deleteByPattern(runPrefix + ":*"));
    }
}
