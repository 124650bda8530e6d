package dev.jobqueue.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.NewJob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The statements a lease holder runs per job (complete and fail, extend, retry, release, and the
 * reaper's stall) find their rows by primary key on a fresh, never analyzed table, where the
 * planner believes a queue holds a row or two. Before, it answered them from the PROCESSING
 * partial index or by hash-joining the leases with the whole queue, reading every running job of
 * the queue per call (~200 rows per completed job in a cold benchmark). The plans are read with
 * EXPLAIN (nothing runs) on a queue of 300 jobs, 200 of them running.
 */
class PostgresKeyLookupPlanTest {
    private static final Pattern SCAN_ON_JOBS = Pattern.compile("(Seq Scan|Index Scan|Index Only Scan|Bitmap Heap Scan)"
            + "(?: Backward)?(?: using (\\S+))? on (\\S+)");
    private final PostgresTestDatabase database = new PostgresTestDatabase();
    private final String schemaName = database.newSchema();
    private final String queue = "plan-" + UUID.randomUUID();
    private PostgresStorage storage;
    private Sql sql;
    private List<ClaimedJob> running;

    @BeforeEach
    void fill() throws Exception {
        storage = PostgresStorage.builder().jdbcUrl(PostgresTestDatabase.URL).poolSize(2).schema(schemaName).build();
        sql = new Sql(new Schema(schemaName, storage.tablePrefix()));
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            jobs.add(new NewJob("job-" + i, new byte[] {1}, 0, Duration.ZERO, null, 3, 1, Duration.ofHours(1), false,
                    java.util.Map.of()));
        }
        storage.enqueueBatch(queue, jobs);
        running = storage.claim(queue, "w", 200, Duration.ofMinutes(5), Duration.ZERO);
        assertEquals(200, running.size());
    }

    @AfterEach
    void drop() {
        storage.close();
        database.dropAll();
    }

    @Test
    void leaseHoldersFindTheirJobsByPrimaryKeyOnAFreshTable() throws Exception {
        String[] ids = {running.get(0).id(), running.get(1).id()};
        Long[] tokens = {running.get(0).fencingToken(), running.get(1).fencingToken()};
        try (Connection c = PostgresTestDatabase.connect()) {
            assertByKey(c, "complete", sql.finish, null, c.createArrayOf("text", ids), c.createArrayOf("bigint", tokens),
                    c.createArrayOf("bytea", new byte[2][]), c.createArrayOf("bytea", new byte[2][]),
                    c.createArrayOf("bigint", new Long[2]), queue, (short) 4, "ch", "p");
            assertByKey(c, "extend", sql.extend, null, c.createArrayOf("text", ids), c.createArrayOf("bigint", tokens),
                    queue, 1000L);
            assertByKey(c, "retry", sql.retry, null, 1000L, new byte[] {1}, queue, ids[0], tokens[0], "ch", "w");
            assertByKey(c, "release", sql.release, null, 1, queue, ids[0], tokens[0], "ch", "w");
            assertByKey(c, "stall", sql.stall, null, c.createArrayOf("text", ids),
                    c.createArrayOf("boolean", new Boolean[] {false, true}), c.createArrayOf("bytea", new byte[2][]),
                    queue, "ch", "p", "ch", "w");
        }
    }

    /** Every scan of the jobs table in the statement's plan is a primary key lookup by queue and id. */
    private void assertByKey(Connection c, String what, String statement, Object... params) throws SQLException {
        List<String> plan = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN (COSTS OFF) " + statement)) {
            for (int i = 0; i < params.length; i++) {
                if (params[i] == null) {
                    ps.setNull(i + 1, java.sql.Types.BIGINT);
                } else {
                    ps.setObject(i + 1, params[i]);
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    plan.add(rs.getString(1));
                }
            }
        }
        String text = String.join("\n", plan);
        int scans = 0;
        for (int i = 0; i < plan.size(); i++) {
            Matcher m = SCAN_ON_JOBS.matcher(plan.get(i));
            if (!m.find() || !m.group(3).endsWith("jobs")) {
                continue;
            }
            scans++;
            assertTrue(m.group(2) != null && m.group(2).endsWith("jobs_pkey"), what + " scans the jobs table without its key:\n" + text);
            String cond = i + 1 < plan.size() ? plan.get(i + 1) : "";
            assertTrue(cond.contains("Index Cond") && cond.contains("qkey") && cond.contains("ikey"),
                    what + " looks up the jobs table by less than queue and id:\n" + text);
        }
        assertTrue(scans > 0, what + ": no scan of the jobs table found in\n" + text);
    }
}
