package dev.jobqueue.file;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * FileStorages in scratch directories for suites that own the storage's life cycle themselves;
 * the directories are deleted together once the suite has closed its storages.
 */
final class ScratchStorages {
    private final List<Path> dirs = new CopyOnWriteArrayList<>();

    FileStorage open(String prefix, Clock clock) {
        Path dir = TempDirs.create(prefix);
        dirs.add(dir);
        return FileStorage.open(dir, FileStorageOptions.builder().clock(clock).build());
    }

    void deleteAll() {
        dirs.forEach(TempDirs::delete);
        dirs.clear();
    }
}
