package dev.jobqueue.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobState;
import dev.jobqueue.spi.NewJob;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Ids and queue names are record data encoded as UTF-8: every valid string comes back exactly
 * after reopening (from the journal and from a snapshot), two different ids never become one, and
 * none of them reaches the file system. A string that UTF-8 cannot carry (an unpaired surrogate)
 * is refused instead of being stored as a different one.
 */
class IdEncodingTest {
    private static final List<String> IDS = List.of(
            "plain", "with:colons:and::more", "{braces}", "{}", "[x]", "a/b/c", "/leading", "trailing/", "..", ".",
            "../../etc/passwd", "a\\b", "ünïcødé", "日本語", "emoji-😀", "music-𝄞-clef", "😀", "mixed-é𝄞😀日",
            "nul-\u0000-inside", "tab\tand\nnewline", "x?", "x", "X", "lock", "journal-0000000000000001.log",
            "a".repeat(1_000), "😀".repeat(1_000), "é".repeat(1_000), "{".repeat(999) + "}");

    private Path root;
    private Path dir;

    @BeforeEach
    void createDirs() {
        root = TempDirs.create("ids");
        dir = root.resolve("jobs");
    }

    @AfterEach
    void deleteDirs() {
        TempDirs.delete(root);
    }

    @Test
    void everyIdAndQueueNameSurvivesReopeningExactlyAndTouchesNoOtherFile() throws Exception {
        assertEquals(IDS.size(), new HashSet<>(IDS).size());
        try (FileStorage storage = FileStorage.open(dir)) {
            for (String id : IDS) {
                assertTrue(storage.enqueue(queueFor(id), job(id)).created(), id);
            }
        }
        assertEverythingThere(); // replayed from the journal
        try (FileStorage storage = FileStorage.open(dir)) {
            storage.compact();
        }
        assertEverythingThere(); // loaded from a snapshot
        try (Stream<Path> all = Files.walk(root)) {
            Set<String> files = all.map(p -> root.relativize(p).toString()).collect(Collectors.toSet());
            assertEquals(Set.of("", "jobs", "jobs/lock", "jobs/journal-0000000000000002.log",
                    "jobs/snapshot-0000000000000002.dat"), files);
        }
    }

    @Test
    void anUnpairedSurrogateIsRefusedInsteadOfCollidingWithAnotherId() throws Exception {
        try (FileStorage storage = FileStorage.open(dir)) {
            assertTrue(storage.enqueue("q", job("x?")).created());
            for (String bad : List.of("x\uD800", "x\uDC00", "\uDBFF", "a\uDC00\uD800b")) {
                assertThrows(IllegalArgumentException.class, () -> storage.enqueue("q", job(bad)), bad);
                assertThrows(IllegalArgumentException.class, () -> storage.enqueue(bad, job("fine")), bad);
            }
            assertTrue(storage.enqueue("q", job("after")).created(), "the storage goes on");
        }
        try (FileStorage storage = FileStorage.open(dir)) {
            assertEquals(2L, storage.counts("q").get(JobState.QUEUED));
            assertEquals("x?", new String(storage.status("q", "x?").orElseThrow().id().getBytes(StandardCharsets.UTF_8),
                    StandardCharsets.UTF_8));
        }
    }

    private void assertEverythingThere() throws IOException {
        try (FileStorage storage = FileStorage.open(dir)) {
            for (String id : IDS) {
                var status = storage.status(queueFor(id), id);
                assertTrue(status.isPresent(), "lost: " + printable(id));
                assertEquals(id, status.get().id());
                assertEquals(List.of(id), storage.list(queueFor(id), JobState.QUEUED, 10));
            }
        }
    }

    /** The id doubles as (part of) a queue name, so queue names get the same treatment. */
    private static String queueFor(String id) {
        return "q:" + id;
    }

    private static String printable(String id) {
        return id.length() > 40 ? id.substring(0, 40) + "...(" + id.length() + " chars)" : id;
    }

    private static NewJob job(String id) {
        return new NewJob(id, new byte[] {1}, 0, Duration.ZERO, null, 3, 1, Duration.ofHours(1), false);
    }
}
