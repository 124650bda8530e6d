package dev.jobqueue.benchmarks;

import dev.jobqueue.spi.Storage;
import java.util.Map;

/**
 * Makes a fresh, isolated storage for each workload of a run (a new MemoryStorage, a new temp
 * directory, a new Redis key prefix, a new PostgreSQL schema) and removes everything the run created afterwards.
 */
interface StorageFactory {
    /** A fresh storage for workload {@code tag}; the caller closes it. */
    Storage create(String tag) throws Exception;

    /** Client library and version facts for the result line (may be empty). */
    Map<String, Object> facts();

    /** Deletes what {@link #create} made; returns facts about it for the result line (e.g. deleted keys). */
    Map<String, Object> cleanup() throws Exception;

    static StorageFactory forOptions(HarnessOptions options, String runId, RedisAdmin redis) {
        return switch (options.storage()) {
            case "memory" -> new MemoryStorages();
            case "file" -> new FileStorages(runId, options.durability());
            case "redis" -> new RedisStorages(options.redisUrl(), runId, redis);
            case "postgres" -> new PostgresStorages(options.pgUrl(), runId, options.pgCountStatements());
            default -> throw new IllegalArgumentException("--storage must be one of " + HarnessOptions.STORAGES);
        };
    }
}
