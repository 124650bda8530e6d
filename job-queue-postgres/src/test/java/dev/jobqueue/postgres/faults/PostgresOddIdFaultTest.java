package dev.jobqueue.postgres.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.CancelResult;
import dev.jobqueue.EnqueueOptions;
import dev.jobqueue.EnqueueResult;
import dev.jobqueue.JobState;
import dev.jobqueue.JobStatus;
import dev.jobqueue.Queue;
import dev.jobqueue.contract.Eventually;
import dev.jobqueue.contract.TestJobs;
import dev.jobqueue.postgres.PostgresStorage;
import dev.jobqueue.spi.CheckedStorage;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.Storage;
import dev.jobqueue.spi.Subscription;
import dev.jobqueue.spi.TransitionOutcome;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Odd job ids (key and path separators, SQL quoting and injection attempts, LIKE wildcards,
 * backslashes, unicode with supplementary characters, a NUL character, the longest allowed ids in
 * 3-byte UTF-8) go through the whole queue (enqueue, claim, run, wait, status, cancel) and come
 * back exactly; odd queue names do the same through the storage SPI; neither touches another job: delayed neighbour jobs
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
                "line\nbreak", "tab\there", "%2e%2e", "x".repeat(MAX));
    }

    /** Ids a wildcard, case folding, trimming or truncation of an odd id would match. */
    static List<String> neighbours() {
        return List.of("a", "b", "x", "X", "axb", "ab", "a%b", "spaced id", "etc", "passwd", "x".repeat(MAX - 1),
                "A:B", "{X}", "1", "tag", "nul", "日本");
    }

    @Test
    void oddIdsRunAndComeBackExactlyAndLeaveOtherJobsAlone() throws Exception {
        Queue<String, String> queue = queue("odd-ids");
        delayNeighbours(queue);
        Set<String> tablesBefore = tables();
        for (String id : oddIds()) {
            try {
                assertEquals("ran " + id + " with payload of " + id, queue.enqueueAndWait(id, "payload of " + id, WAIT),
                        printable(id));
                JobStatus<String> status = queue.status(id).orElseThrow(() -> new AssertionError("no status: " + printable(id)));
                assertEquals(JobState.COMPLETED, status.state(), printable(id));
                assertEquals(EnqueueResult.Kind.COMPLETED, queue.enqueue(id, "again").kind(), "re-enqueue " + printable(id));
            } catch (RuntimeException e) {
                throw new AssertionError("id " + printable(id) + ": " + e, e);
            }
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

    /** The longest ids (1024 UTF-16 chars) in 3- and 4-byte UTF-8: up to 3 KiB, which an index entry of the id must hold. */
    @Test
    void theLongestIdsInMultiByteUtf8RoundTrip() throws Exception {
        Queue<String, String> queue = queue("odd-long");
        delayNeighbours(queue);
        String longest = threeByteChars(MAX);
        String almost = threeByteChars(MAX - 1);
        for (String id : List.of(longest, almost, "😀".repeat(MAX / 2))) {
            assertEquals("ran " + id + " with payload of " + id, queue.enqueueAndWait(id, "payload of " + id, WAIT), printable(id));
            assertEquals(JobState.COMPLETED, queue.status(id).orElseThrow().state(), printable(id));
        }
        assertEquals(CancelResult.NOT_FOUND, queue.cancel(almost.substring(0, MAX - 2)), "a prefix is another id");
        assertNeighboursUntouched(queue);
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
        assertNeighboursUntouched(queue);
    }

    /**
     * Queue names are checked by the Queue API ([A-Za-z0-9._-]), but the storage SPI takes any name
     * of up to 1024 chars: a storage used directly (or by another front end) must keep them apart too,
     * and route each queue's terminal notifications to that queue's subscribers only.
     */
    @Test
    void oddQueueNamesKeepTheirJobsAndNotificationsApart() throws Exception {
        Storage spi = CheckedStorage.of(storage);
        List<String> names = List.of("q'; DROP TABLE x; --", "q\"", "q%", "q_", "Q%", "q.x", "q:{a}", "q\\", "日本😀",
                "nul\u0000q", threeByteChars(MAX), threeByteChars(MAX - 1));
        Map<String, List<String>> heard = new ConcurrentHashMap<>();
        List<Subscription> subscriptions = new ArrayList<>();
        try {
            for (String name : names) {
                subscriptions.add(spi.subscribe(name, (jobId, snapshot) ->
                        heard.computeIfAbsent(name, k -> new CopyOnWriteArrayList<>()).add(jobId)));
            }
            for (String name : names) {
                String id = "same-id";
                assertTrue(spi.enqueue(name, TestJobs.job(id).payload(utf8("payload of " + name)).build()).created(), printable(name));
                List<ClaimedJob> claimed = spi.claim(name, "w", 10, Duration.ofSeconds(30), Duration.ofSeconds(5));
                assertEquals(List.of(id), claimed.stream().map(ClaimedJob::id).toList(), printable(name));
                assertEquals("payload of " + name, new String(claimed.get(0).payload(), StandardCharsets.UTF_8), printable(name));
                assertEquals(TransitionOutcome.APPLIED, spi.complete(name,
                        new LeaseRef(id, claimed.get(0).fencingToken()), utf8("result of " + name), null), printable(name));
            }
            for (String name : names) {
                JobSnapshot s = spi.status(name, "same-id").orElseThrow(() -> new AssertionError("gone: " + printable(name)));
                assertEquals(JobState.COMPLETED, s.state(), printable(name));
                assertEquals("result of " + name, new String(s.result(), StandardCharsets.UTF_8), printable(name));
                assertEquals(1L, spi.counts(name).get(JobState.COMPLETED), printable(name));
                Eventually.await("the subscriber of " + printable(name) + " heard its job", WAIT,
                        () -> heard.getOrDefault(name, List.of()).contains("same-id"));
            }
            Thread.sleep(500); // room for a misrouted notification to arrive before the check below
            for (String name : names) {
                assertEquals(List.of("same-id"), heard.get(name), "notifications heard by " + printable(name));
            }
            assertEquals(0L, spi.counts("q").get(JobState.COMPLETED), "queue q");
            tables(); // asserts that the canary table x survived
        } finally {
            subscriptions.forEach(Subscription::close);
        }
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

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String printable(String id) {
        String shown = id.length() > 40 ? id.substring(0, 40) + "...(" + id.length() + " chars)" : id;
        return shown.replace("\u0000", "\\0").replace("\n", "\\n").replace("\t", "\\t");
    }
}
