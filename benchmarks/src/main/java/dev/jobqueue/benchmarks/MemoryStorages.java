package dev.jobqueue.benchmarks;

import dev.jobqueue.memory.MemoryStorage;
import dev.jobqueue.spi.Storage;
import java.util.Map;

/** A new {@link MemoryStorage} per workload; nothing to clean up. */
final class MemoryStorages implements StorageFactory {
    @Override
    public Storage create(String tag) {
        return new MemoryStorage();
    }

    @Override
    public Map<String, Object> facts() {
        return Map.of();
    }

    @Override
    public Map<String, Object> cleanup() {
        return Map.of();
    }
}
