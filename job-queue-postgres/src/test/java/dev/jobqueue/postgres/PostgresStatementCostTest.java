package dev.jobqueue.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.jobqueue.JobState;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.Completion;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.NewJob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What each operation costs in round trips to PostgreSQL, counted by a DataSource proxy (every
 * execute and commit/rollback is one round trip), printed for the README's cost table and
 * bounded so a change that adds round trips to the hot path fails here.
 */
class PostgresStatementCostTest {
    private final PostgresTestDatabase database = new PostgresTestDatabase();
    private final RoundTripCounter counter = new RoundTripCounter();
    private final String queue = "cost-" + UUID.randomUUID();
    private HikariDataSource pool;
    private PostgresStorage storage;

    @BeforeEach
    void open() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(PostgresTestDatabase.URL);
        config.setMaximumPoolSize(3);
        pool = new HikariDataSource(config);
        storage = PostgresStorage.builder().dataSource(counter.wrap(pool)).schema(database.newSchema()).build();
    }

    @AfterEach
    void close() {
        storage.close();
        pool.close();
        database.dropAll();
    }

    @Test
    void hotPathOperationsTakeOneRoundTripPerBatch() throws Exception {
        List<NewJob> batch = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            batch.add(job("b" + i));
        }
        Map<String, Integer> cost = new java.util.LinkedHashMap<>();
        cost.put("enqueue (1 job)", count(() -> storage.enqueue(queue, job("single"))));
        cost.put("enqueueBatch (100 jobs)", count(() -> storage.enqueueBatch(queue, batch)));
        cost.put("enqueue duplicate (1 job)", count(() -> storage.enqueue(queue, job("single"))));
        List<List<ClaimedJob>> claimed = new ArrayList<>();
        cost.put("claim (100 jobs)", count(() -> claimed.add(claimNow(100))));
        List<ClaimedJob> jobs = claimed.get(0);
        assertEquals(100, jobs.size());
        List<LeaseRef> leases = jobs.stream().map(j -> new LeaseRef(j.id(), j.fencingToken())).toList();
        cost.put("extend (100 leases)", count(() -> storage.extend(queue, leases, Duration.ofSeconds(60))));
        List<Completion> done = leases.stream().map(l -> new Completion(l, new byte[] {1}, null)).toList();
        cost.put("completeAll (100 jobs)", count(() -> storage.completeAll(queue, done)));
        cost.put("claim (empty, no wait)", count(() -> claimNow(1)));
        cost.put("status", count(() -> storage.status(queue, "single")));
        cost.put("cancel", count(() -> storage.cancel(queue, "single")));
        cost.put("retryJob", count(() -> storage.retryJob(queue, "single")));
        cost.put("listJobs (page of 50)", count(() -> storage.listJobs(queue, JobState.COMPLETED,
                dev.jobqueue.ListOrder.OLDEST_FIRST, null, 50)));
        cost.put("purge (100 jobs)", count(() -> storage.purge(queue, JobState.COMPLETED, 100)));
        cost.put("requeueExpired (none)", count(() -> storage.requeueExpired(queue, 100)));
        cost.forEach((op, n) -> System.out.println("COST " + op + ": " + n + " round trip(s)"));

        assertEquals(1, cost.get("enqueue (1 job)"));
        assertEquals(1, cost.get("enqueueBatch (100 jobs)"));
        assertEquals(1, cost.get("claim (100 jobs)"), "promote + take in one round trip");
        assertEquals(1, cost.get("extend (100 leases)"));
        assertEquals(1, cost.get("completeAll (100 jobs)"));
        assertTrue(cost.get("enqueue duplicate (1 job)") <= 3);
    }

    private List<ClaimedJob> claimNow(int max) {
        try {
            return storage.claim(queue, "w", max, Duration.ofSeconds(30), Duration.ZERO);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private int count(Runnable op) {
        return counter.measure(op).roundTrips();
    }

    private static NewJob job(String id) {
        return new NewJob(id, new byte[] {42}, 0, Duration.ZERO, null, 3, 3, Duration.ofHours(1), false);
    }
}
