package dev.jobqueue.examples;

import static dev.jobqueue.contract.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jobqueue.JobState;
import dev.jobqueue.examples.AuditLogWorker.AuditEvent;
import dev.jobqueue.memory.MemoryStorage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogWorkerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void writesOneAtomicJsonlFilePerBatchOfAtMostMaxEvents(@TempDir Path dir) throws Exception {
        try (MemoryStorage storage = new MemoryStorage();
             AuditLogWorker worker = new AuditLogWorker(storage, dir, 100, Duration.ofMillis(500))) {
            for (int i = 0; i < 250; i++) {
                worker.queue().enqueue("e" + i, new AuditEvent("user-" + i, "login", "console", "2026-01-01T00:00:00Z"));
            }
            worker.start();
            await("250 written", () -> worker.queue().counts().get(JobState.COMPLETED) == 250);

            List<Path> files = files(dir);
            List<Integer> sizes = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            for (Path f : files) {
                assertTrue(f.getFileName().toString().matches("audit-\\d+-[0-9a-f-]+\\.jsonl"), f.toString());
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                sizes.add(lines.size());
                for (String line : lines) {
                    JsonNode n = JSON.readTree(line);
                    assertTrue(ids.add(n.get("jobId").asText()), "each event once: " + line);
                    assertEquals("user-" + n.get("jobId").asText().substring(1), n.get("actor").asText());
                }
            }
            assertEquals(3, files.size(), "one file per batch, no temporary file left: " + files);
            assertEquals(List.of(50, 100, 100), sizes.stream().sorted().toList());
            assertEquals(250, ids.size());
            String file = worker.queue().result("e7").orElseThrow();
            assertTrue(Files.readString(dir.resolve(file)).contains("\"jobId\":\"e7\""));
        }
    }

    @Test
    void aFewEventsAreWrittenOnceTheWaitEnds(@TempDir Path dir) throws Exception {
        try (MemoryStorage storage = new MemoryStorage();
             AuditLogWorker worker = new AuditLogWorker(storage, dir, 100, Duration.ofMillis(300))) {
            worker.start();
            String file = worker.queue().enqueueAndWait("only", new AuditEvent("a", "b", "c", "d"), Duration.ofSeconds(20));
            assertEquals(List.of(dir.resolve(file)), files(dir));
            assertEquals(1, Files.readAllLines(dir.resolve(file)).size());
        }
    }
}
