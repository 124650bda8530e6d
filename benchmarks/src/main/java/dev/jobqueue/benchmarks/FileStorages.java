package dev.jobqueue.benchmarks;

import dev.jobqueue.file.Durability;
import dev.jobqueue.file.FileStorage;
import dev.jobqueue.file.FileStorageOptions;
import dev.jobqueue.spi.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** A {@link FileStorage} in a new temp directory per workload; the directories are deleted afterwards. */
final class FileStorages implements StorageFactory {
    private final String runId;
    private final Durability durability;
    private final List<Path> dirs = new ArrayList<>();

    FileStorages(String runId, String durability) {
        this.runId = runId;
        this.durability = durability.equals("fsync_batched") ? Durability.FSYNC_BATCHED : Durability.FSYNC_EACH;
    }

    @Override
    public Storage create(String tag) throws IOException {
        Path dir = Files.createTempDirectory("jqbench-" + runId + "-" + tag + "-");
        dirs.add(dir);
        // The storage creates its own (owner-only) directory inside the temp one.
        return FileStorage.open(dir.resolve("queue"), FileStorageOptions.builder().durability(durability).build());
    }

    @Override
    public Map<String, Object> facts() {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("file_durability", durability.name());
        facts.put("file_dir", System.getProperty("java.io.tmpdir"));
        return facts;
    }

    @Override
    public Map<String, Object> cleanup() throws IOException {
        long bytes = 0;
        for (Path dir : dirs) {
            bytes += deleteRecursively(dir);
        }
        dirs.clear();
        return Map.of("cleanup_deleted_bytes", bytes);
    }

    private static long deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        long bytes = 0;
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : paths) {
            if (Files.isRegularFile(p)) {
                bytes += Files.size(p);
            }
            Files.delete(p);
        }
        return bytes;
    }
}
