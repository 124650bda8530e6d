package dev.jobqueue.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jobqueue.JobState;
import dev.jobqueue.Queue;
import dev.jobqueue.file.FileStorage;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.Storage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar ({@code -all}, built by the package phase) run as a real child process with
 * {@code java -jar}: its exit codes come from System.exit, and it works on a file-storage
 * directory that this test's JVM, standing in for the running application, holds open.
 */
class CliJarIT {
    @TempDir
    Path temp;

    record Run(int exitCode, String out, String err) {
    }

    static Run runJar(String... args) throws IOException, InterruptedException {
        String jar = System.getProperty("jobqueue.cli.jar");
        assertTrue(jar != null && Files.isRegularFile(Path.of(jar)), "the shaded jar (system property jobqueue.cli.jar): " + jar);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("jobqueue-out", ".txt");
        Path err = Files.createTempFile("jobqueue-err", ".txt");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the jar ended within 2 minutes");
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void theJarWorksOnADirectoryARunningApplicationHolds() throws Exception {
        Path dir = temp.resolve("jobs");
        try (Storage app = FileStorage.open(dir)) {
            Seeds.allStates(app, "emails");

            Run show = runJar("show", "failed-1", "--queue", "emails", "--dir", dir.toString(), "--json");
            assertEquals(0, show.exitCode(), show::toString);
            JsonNode job = new ObjectMapper().readTree(show.out());
            assertEquals("FAILED", job.get("state").asText());
            assertEquals("bob@example.com", job.get("payload").get("to").asText());

            Run retry = runJar("retry", "failed-1", "--queue", "emails", "--dir", dir.toString());
            assertEquals(0, retry.exitCode(), retry::toString);
            assertEquals(Optional.of(JobState.QUEUED), app.status("emails", "failed-1").map(JobSnapshot::state),
                    "the application sees the tool's retry at once");

            Run missing = runJar("retry", "no-such-job", "--queue", "emails", "--dir", dir.toString());
            assertEquals(1, missing.exitCode(), missing::toString);
            assertTrue(missing.err().contains("no job 'no-such-job'"), missing::toString);

            // the application goes on working on the directory after the tool's process has gone
            try (Queue<String, String> queue = Queue.builder(app, String.class, String.class).name("emails")
                    .closeOnJvmShutdown(false).build()) {
                queue.enqueue("after-the-tool", "x");
            }
            assertEquals(4, app.counts("emails").get(JobState.QUEUED), "queued-1, queued-2, failed-1, after-the-tool");
        }
        try (Storage reopened = FileStorage.open(dir)) {
            assertEquals(Optional.of(JobState.QUEUED), reopened.status("emails", "failed-1").map(JobSnapshot::state));
        }
    }

    @Test
    void theJarExitsWithTheDocumentedCodes() throws Exception {
        Run version = runJar("--version");
        assertEquals(0, version.exitCode(), version::toString);
        assertTrue(version.out().startsWith("jobqueue ") && !version.out().contains("development"), version::toString);
        assertEquals(2, runJar("frobnicate").exitCode());
        Run noDir = runJar("stats", "--dir", temp.resolve("missing").toString());
        assertEquals(3, noDir.exitCode(), noDir::toString);
        assertTrue(noDir.err().contains("no such directory"), noDir::toString);
    }

    @Test
    void theJarCarriesItsLicencesAndAMainClass() throws Exception {
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(System.getProperty("jobqueue.cli.jar"))) {
            for (String entry : List.of("META-INF/LICENSE", "META-INF/NOTICE", "META-INF/THIRD-PARTY.txt")) {
                assertTrue(jar.getEntry(entry) != null, entry);
            }
            assertTrue(new String(jar.getInputStream(jar.getEntry("META-INF/LICENSE")).readAllBytes(), StandardCharsets.UTF_8)
                    .contains("Apache License"));
            assertEquals(JobQueueCli.class.getName(), jar.getManifest().getMainAttributes().getValue("Main-Class"));
        }
    }
}
