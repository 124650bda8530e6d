package dev.jobqueue.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jobqueue.JobError;
import dev.jobqueue.JobState;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.NewJob;
import dev.jobqueue.spi.TransitionOutcome;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The opt-in {@code asynchronousCompletionCommit}: completions and failures still apply (same
 * outcomes, same records); the finishing statement turns {@code synchronous_commit} off for its
 * own transaction only; inside a caller's transaction the caller's setting is left alone.
 */
class PostgresAsynchronousCompletionCommitTest {
    private final PostgresTestDatabase database = new PostgresTestDatabase();
    private final String queue = "async-" + UUID.randomUUID();
    private PostgresStorage storage;

    @BeforeEach
    void open() {
        storage = PostgresStorage.builder().jdbcUrl(PostgresTestDatabase.URL).poolSize(2)
                .schema(database.newSchema()).asynchronousCompletionCommit(true).build();
    }

    @AfterEach
    void close() {
        storage.close();
        database.dropAll();
    }

    private ClaimedJob enqueueAndClaim(String id) throws InterruptedException {
        storage.enqueue(queue, new NewJob(id, new byte[] {1}, 0, Duration.ZERO, null, 3, 1, Duration.ofHours(1), false, Map.of()));
        List<ClaimedJob> claimed = storage.claim(queue, "w", 1, Duration.ofMinutes(1), Duration.ZERO);
        assertEquals(1, claimed.size());
        return claimed.get(0);
    }

    @Test
    void completionsAndFailuresApplyAsWithDurableCommits() throws Exception {
        ClaimedJob a = enqueueAndClaim("a");
        LeaseRef lease = new LeaseRef(a.id(), a.fencingToken());
        assertEquals(TransitionOutcome.APPLIED, storage.complete(queue, lease, new byte[] {7}, null));
        assertEquals(TransitionOutcome.LEASE_LOST, storage.complete(queue, lease, new byte[] {7}, null));
        assertEquals(JobState.COMPLETED, storage.status(queue, "a").orElseThrow().state());
        ClaimedJob b = enqueueAndClaim("b");
        JobError error = new JobError("java.lang.RuntimeException", "boom", "trace", null, 1, Instant.now());
        assertEquals(TransitionOutcome.APPLIED, storage.fail(queue, new LeaseRef(b.id(), b.fencingToken()), error, null));
        assertEquals(JobState.FAILED, storage.status(queue, "b").orElseThrow().state());
        assertEquals(1L, storage.finishedTotals(queue).completed());
        assertEquals(1L, storage.finishedTotals(queue).failed());
    }

    @Test
    void theFinishingStatementRelaxesOnlyItsOwnTransaction() throws Exception {
        Sql sql = new Sql(new Schema(storage.schema(), storage.tablePrefix()));
        try (Connection c = PostgresTestDatabase.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql.finishAsync)) {
                ClaimedJob a = enqueueAndClaim("a");
                Object[] params = {null, c.createArrayOf("text", new String[] {a.id()}),
                    c.createArrayOf("bigint", new Long[] {a.fencingToken()}), c.createArrayOf("bytea", new byte[1][]),
                    c.createArrayOf("bytea", new byte[1][]), c.createArrayOf("bigint", new Long[1]), queue, (short) 4,
                    "unused_channel", "p"};
                for (int i = 0; i < params.length; i++) {
                    if (params[i] == null) {
                        ps.setNull(i + 1, java.sql.Types.BIGINT);
                    } else {
                        ps.setObject(i + 1, params[i]);
                    }
                }
                try (ResultSet rs = ps.executeQuery()) {
                    assertEquals(true, rs.next(), "the lease was current");
                }
            }
            assertEquals("off", synchronousCommit(c), "inside the finishing transaction");
            c.rollback();
            assertEquals("on", synchronousCommit(c), "after it");
        }
    }

    @Test
    void aCallersTransactionKeepsItsOwnSetting() throws Exception {
        ClaimedJob a = enqueueAndClaim("a");
        try (Connection c = PostgresTestDatabase.connect()) {
            c.setAutoCommit(false);
            TransactionScope tx = storage.joinTransaction(c);
            try {
                assertEquals(TransitionOutcome.APPLIED,
                        storage.complete(queue, new LeaseRef(a.id(), a.fencingToken()), new byte[] {1}, null));
            } finally {
                tx.close();
            }
            assertEquals("on", synchronousCommit(c));
            c.commit();
        }
        assertEquals(JobState.COMPLETED, storage.status(queue, "a").orElseThrow().state());
    }

    private static String synchronousCommit(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW synchronous_commit")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
