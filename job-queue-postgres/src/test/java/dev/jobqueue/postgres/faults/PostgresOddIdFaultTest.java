package dev.jobqueue.postgres.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.CancelResult;
import dev.jobqueue.EnqueueOptions;
import dev.jobqueue.EnqueueResult;
import dev.jobqueue.JobState;
import dev.jobqueue.JobStatus;
import dev.jobqueue.Queue;
import dev.jobqueue.postgres.PostgresStorage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Odd job ids and queue names (key and path separators, SQL quoting and injection attempts,
 * LIKE wildcards, backslashes, unicode with supplementary characters, a NUL character, the
 * longest allowed names in 3-byte UTF-8) go through the whole queue (enqueue, claim, run, wait,
 * status, cancel) and come back exactly, and never touch another job: delayed neighbour jobs
 * whose ids a wildcard or a truncation would match stay as they were, and a canary table in the
 * schema survives the injection attempts.
 */
class PostgresOddIdFaultTest {
    private static final String SCHEMA = PgFaultServer.uniqueSchema("oddids");
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int MAX = 1024;

    private static PostgresStorage storage;
    private final List<Queue<String, String>> queues = new ArrayList<>();

    @BeforeAll
    static void openStorage() throws Exception {
        storage = PostgresStorage.builder().jdbcUrl(PgFaultServer.url()).schema(SCHEMA).build();
        storage.counts("setup"); // the storage has created its schema by now
        try (Connection c = PgFaultServer.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + PgFaultServer.quoteIdent(SCHEMA) + ".x (canary int)");
        }
    }

    @AfterAll
    static void dropSchema() throws Exception {
        try {
            if (storage != null) {
                storage.close();
            }
        } finally {
            PgFaultServer.dropSchema(SCHEMA);
        }
    }

    @AfterEach
    void closeQueues() {
        queues.forEach(Queue::close);
    }

    static List<String> oddIds() {
        return List.of("a:b", "{x}", "{q}:job", "a/b", "../../etc/passwd", "..", ".", "a\\b", "\\", "\\'",
                "'", "''", "\"", "it's", "a\"b", "'; DROP TABLE x; --", "'; DROP TABLE " + SCHEMA + ".x; --",
                "\"; DROP SCHEMA " + SCHEMA + " CASCADE; --", "1 OR 1=1", "$1", "$$", "$tag$ x $tag$",
                "%", "_", "a%", "a_b", "*", "?", "[a]", "E'\\x41'", "ünïcødé-日本-😀", "😀", " spaced id ",
                "line\nbreak", "tab\there", "%2e%2e", "x".repeat(MAX), threeByteChars(MAX));
    }

    /** Ids a wildcard, case folding, trimming or truncation of an odd id would match. */
    static List<String> neighbours() {
        return List.of("a", "b", "x", "X", "axb", "ab", "a%b", "spaced id", "etc", "passwd", "x".repeat(MAX - 1),
                threeByteChars(MAX - 1), "A:B", "{X}", "1", "tag");
    }

    @Test
    void oddIdsRunAndComeBackExactlyAndLeaveOtherJobsAlone() throws Exception {
        Queue<String, String> queue = queue("odd-ids");
        delayNeighbours(queue);
        Set<String> tablesBefore = tables();
        for (String id : oddIds()) {
            assertEquals("ran " + id + " with payload of " + id, queue.enqueueAndWait(id, "payload of " + id, WAIT),
                    printable(id));
            JobStatus<String> status = queue.status(id).orElseThrow(() -> new AssertionError("no status: " + printable(id)));
            assertEquals(JobState.COMPLETED, status.state(), printable(id));
            assertEquals(EnqueueResult.Kind.COMPLETED, queue.enqueue(id, "again").kind(), "re-enqueue " + printable(id));
        }
        assertNeighboursUntouched(queue);
        assertEquals((long) oddIds().size(), queue.counts().get(JobState.COMPLETED));
        assertEquals(tablesBefore, tables(), "tables of the schema");
    }

    @Test
    void cancellingAnOddIdCancelsOnlyThatJob() throws Exception {
        Queue<String, String> queue = queue("odd-cancel");
        delayNeighbours(queue);
        for (String id : oddIds()) {
            assertEquals(EnqueueResult.Kind.QUEUED, queue.enqueue(id, "p", EnqueueOptions.builder().delay(Duration.ofHours(1)).build()).kind(),
                    printable(id));
            assertEquals(CancelResult.CANCELLED, queue.cancel(id), printable(id));
            assertEquals(JobState.CANCELLED, queue.status(id).orElseThrow().state(), printable(id));
        }
        assertNeighboursUntouched(queue);
        assertEquals((long) oddIds().size(), queue.counts().get(JobState.CANCELLED));
    }

    /** The id rules allow every character of well-formed UTF-16, NUL included, which a PostgreSQL text column cannot hold as such. */
    @Test
    void anIdWithANulCharacterRoundTrips() throws Exception {
        Queue<String, String> queue = queue("odd-nul");
        delayNeighbours(queue);
        for (String id : List.of("nul\u0000byte", "\u0000", "nul\u0000")) {
            assertEquals("ran " + id + " with payload of " + id, queue.enqueueAndWait(id, "payload of " + id, WAIT), printable(id));
            assertEquals(JobState.COMPLETED, queue.status(id).orElseThrow().state(), printable(id));
        }
        assertTrue(queue.status("nul").isEmpty(), "no job 'nul'");
        assertNeighboursUntouched(queue);
    }

    @Test
    void oddQueueNamesKeepTheirJobsApart() throws Exception {
        List<String> names = List.of("q'; DROP TABLE x; --", "q\"", "q%", "q_", "Q%", "q.x", "q:{a}", "日本😀",
                threeByteChars(MAX), threeByteChars(MAX - 1));
        for (String name : names) {
            Queue<String, String> queue = queue(name);
            assertEquals("ran same-id with payload of " + name, queue.enqueueAndWait("same-id", "payload of " + name, WAIT),
                    printable(name));
        }
        for (String name : names) {
            Map<JobState, Long> counts = storage.counts(name);
            assertEquals(1L, counts.get(JobState.COMPLETED), printable(name) + ": " + counts);
            assertEquals("ran same-id with payload of " + name,
                    queue(name).result("same-id").orElseThrow(), printable(name));
        }
        assertEquals(0L, storage.counts("q").get(JobState.COMPLETED), "queue q");
        tables(); // asserts that the canary table x survived
    }

    private Queue<String, String> queue(String name) {
        Queue<String, String> queue = Queue.builder(storage, String.class, String.class).name(name).concurrency(4)
                .handler(job -> "ran " + job.id() + " with " + job.payload())
                .build();
        queue.start();
        queues.add(queue);
        return queue;
    }

    private static void delayNeighbours(Queue<String, String> queue) {
        EnqueueOptions later = EnqueueOptions.builder().delay(Duration.ofHours(1)).build();
        for (String id : neighbours()) {
            assertEquals(EnqueueResult.Kind.QUEUED, queue.enqueue(id, "neighbour " + id, later).kind(), printable(id));
        }
    }

    private static void assertNeighboursUntouched(Queue<String, String> queue) {
        for (String id : neighbours()) {
            JobStatus<String> s = queue.status(id).orElseThrow(() -> new AssertionError("neighbour gone: " + printable(id)));
            assertEquals(JobState.DELAYED, s.state(), "neighbour " + printable(id));
            assertEquals(0, s.attempts(), "neighbour " + printable(id));
        }
        assertEquals((long) neighbours().size(), queue.counts().get(JobState.DELAYED), "delayed neighbours");
    }

    private static Set<String> tables() throws Exception {
        try (Connection c = PgFaultServer.connect();
             PreparedStatement ps = c.prepareStatement("SELECT table_name FROM information_schema.tables WHERE table_schema = ?")) {
            ps.setString(1, SCHEMA);
            Set<String> out = new TreeSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            assertTrue(out.contains("x"), "canary table x still in " + out);
            return out;
        }
    }

    /** {@code n} distinct 3-byte UTF-8 characters (CJK, not compressible as a run), so n UTF-16 chars = 3n bytes. */
    static String threeByteChars(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) (0x4E00 + (i * 7919) % 20_000));
        }
        return sb.toString();
    }

    private static String printable(String id) {
        String shown = id.length() > 40 ? id.substring(0, 40) + "...(" + id.length() + " chars)" : id;
        return shown.replace("\u0000", "\\0").replace("\n", "\\n").replace("\t", "\\t");
    }
}
