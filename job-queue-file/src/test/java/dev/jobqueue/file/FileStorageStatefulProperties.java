package dev.jobqueue.file;

import dev.jobqueue.contract.StorageStatefulProperties;
import dev.jobqueue.spi.Storage;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * FileStorage agrees with the reference model, also across a close and reopen of its directory
 * at random points of each sequence (every restart replays the journal).
 */
class FileStorageStatefulProperties extends StorageStatefulProperties {
    private final Map<Storage, Path> dirs = new ConcurrentHashMap<>();

    @Override
    protected Storage createStorage(Clock clock) {
        Path dir = TempDirs.create("stateful");
        return open(dir, clock);
    }

    @Override
    protected Storage reopen(Storage s, Clock clock) {
        Path dir = dirs.remove(s);
        s.close();
        return open(dir, clock);
    }

    @Override
    protected void destroyStorage(Storage s) {
        Path dir = dirs.remove(s);
        s.close();
        TempDirs.delete(dir);
    }

    private Storage open(Path dir, Clock clock) {
        // A tiny compaction threshold makes sequences cross snapshot + journal generations too.
        FileStorage storage = FileStorage.open(dir, FileStorageOptions.builder().clock(clock)
                .durability(Durability.FSYNC_BATCHED).compactionThresholdBytes(4096).build());
        dirs.put(storage, dir);
        return storage;
    }
}
