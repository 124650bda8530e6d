package dev.jobqueue.snippets;

import dev.jobqueue.Queue;
import dev.jobqueue.file.CorruptJournalException;
import dev.jobqueue.file.Durability;
import dev.jobqueue.file.FileStorage;
import dev.jobqueue.file.FileStorageOptions;
import dev.jobqueue.file.MissingGenerationException;
import dev.jobqueue.redis.RedisStorage;
import dev.jobqueue.redis.RedisStorageException;
import dev.jobqueue.snippets.Shop.Order;
import dev.jobqueue.snippets.Shop.Receipt;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;

/** The examples in the Javadoc of FileStorage and RedisStorage: compiled, never run. */
@SuppressWarnings("unused")
abstract class StorageSnippets {
    Path dir;
    Logger log;
    RedisStorage storage;

    abstract void serve(FileStorage storage);

    void corruptJournalException() {
        // snippet: corrupt-journal-exception
        try (FileStorage storage = FileStorage.open(dir)) {
            serve(storage);
        } catch (CorruptJournalException e) {
            log.error("job journal {} damaged at byte {}", e.file(), e.offset());
        }
        // end-snippet
    }

    void missingGenerationException() {
        // snippet: missing-generation-exception
        try (FileStorage storage = FileStorage.open(dir)) {
            serve(storage);
        } catch (MissingGenerationException e) {
            log.error("restore {} from the backup of {}", e.file().getFileName(), e.file().getParent());
        }
        // end-snippet
    }

    void durability() {
        // snippet: durability
        FileStorage.open(dir, FileStorageOptions.builder().durability(Durability.FSYNC_BATCHED)
                .batchInterval(Duration.ofMillis(20)).build());
        // end-snippet
    }

    void fileStorage() {
        // snippet: file-storage
        try (FileStorage storage = FileStorage.open(Path.of("/var/lib/myapp/jobs"))) {
            Queue<Order, Receipt> queue = Queue.builder(storage, Order.class, Receipt.class).name("orders").build();
            // ...
        }
        // end-snippet
    }

    void fileStorageOptions() {
        // snippet: file-storage-options
        FileStorageOptions options = FileStorageOptions.builder()
                .durability(Durability.FSYNC_EACH)
                .compactionThresholdBytes(64L << 20)
                .build();
        FileStorage storage = FileStorage.open(Path.of("/var/lib/myapp/jobs"), options);
        FileStorageOptions batched = options.newBuilder().durability(Durability.FSYNC_BATCHED).build();
        // end-snippet
    }

    void redisStorage() {
        // snippet: redis-storage
        try (RedisStorage storage = RedisStorage.builder().uri("redis://app:secret@redis.internal:6379/0").build()) {
            Queue<Order, Receipt> orders = Queue.builder(storage, Order.class, Receipt.class).name("orders").build();
            // ...
        }
        // Redis Cluster: same class, same behaviour
        RedisStorage clustered = RedisStorage.builder().cluster("10.0.0.1:7000", "10.0.0.2:7000").build();
        // end-snippet
    }

    void redisStorageBuilder() {
        // snippet: redis-storage-builder
        RedisStorage storage = RedisStorage.builder()
                .uri(System.getenv("REDIS_URL"))     // redis://user:pass@host:6379/0, rediss:// for TLS
                .keyPrefix("billing-jq")
                .build();
        // end-snippet
    }

    void redisStorageException() {
        // snippet: redis-storage-exception
        try {
            storage.status("emails", "welcome-42");
        } catch (RedisStorageException e) {
            log.error("job store unavailable: {}", e.getMessage());
        }
        // end-snippet
    }
}
