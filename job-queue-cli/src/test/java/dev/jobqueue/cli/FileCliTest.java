package dev.jobqueue.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.file.FileStorage;
import dev.jobqueue.spi.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command against a file-storage directory that the test (the "application") holds open
 * meanwhile: FileStorage lets several instances and processes share a directory, so the tool works
 * beside a running application.
 */
class FileCliTest extends CliContract {
    @TempDir
    Path temp;

    @Override
    Storage openAppStorage() {
        return FileStorage.open(temp.resolve("jobs"));
    }

    @Override
    List<String> targetArgs() {
        return List.of("--dir", temp.resolve("jobs").toString());
    }

    @Test
    void aMissingDirectoryIsNotCreated() {
        Path missing = temp.resolve("no-such-dir");
        Cli.Result result = Cli.run("stats", "--dir", missing.toString());
        assertExit(3, result);
        assertTrue(result.err().contains("no such directory"), result::toString);
        assertTrue(Files.notExists(missing));
    }

    @Test
    void aDirectoryThatHoldsNoStorageIsLeftAlone() throws Exception {
        Path empty = Files.createDirectory(temp.resolve("empty"));
        Cli.Result result = Cli.run("stats", "--dir", empty.toString());
        assertExit(3, result);
        assertTrue(result.err().contains("not a job-queue file storage"), result::toString);
        try (Stream<Path> files = Files.list(empty)) {
            assertEquals(0, files.count());
        }
        Path file = Files.writeString(temp.resolve("plain.txt"), "x");
        assertExit(3, Cli.run("stats", "--dir", file.toString()));
    }

    @Test
    void theApplicationSeesWhatTheToolChanged() throws Exception {
        assertExit(0, onQueue("retry", "failed-1"));
        assertExit(0, onQueue("pause"));
        // the application's own storage instance, open all along, reads the tool's records
        assertEquals(java.util.Optional.of(dev.jobqueue.JobState.QUEUED), state("failed-1"));
        assertTrue(app.isPaused(queue));
    }

    @Test
    void lookingWritesNothingToTheDirectory() throws Exception {
        Map<Path, String> before = fingerprint(temp.resolve("jobs"));
        assertExit(0, jq("stats"));
        assertExit(0, onQueue("list", "failed", "--json"));
        assertExit(0, onQueue("show", "failed-1"));
        assertExit(1, onQueue("show", "no-such-job"));
        assertEquals(before, fingerprint(temp.resolve("jobs")));
    }

    /** Each file of the directory with a hash of its bytes. */
    private static Map<Path, String> fingerprint(Path dir) throws Exception {
        Map<Path, String> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path file : list.toList()) {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
                files.put(file.getFileName(), HexFormat.of().formatHex(digest));
            }
        }
        return files;
    }
}
