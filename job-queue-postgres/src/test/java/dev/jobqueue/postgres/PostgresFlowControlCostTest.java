package dev.jobqueue.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.jobqueue.CancelResult;
import dev.jobqueue.QueueLimits;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.NewJob;
import dev.jobqueue.spi.ScheduleRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the scheduling and flow-control operations cost in round trips to PostgreSQL (every
 * execute and commit/rollback is one; a multi-statement execute is one), counted by a DataSource
 * proxy as in {@link PostgresStatementCostTest}; printed as {@code COST ...} lines, and bounded so
 * that a change adding round trips fails here. The claim of a queue without limits must stay at
 * one round trip.
 */
class PostgresFlowControlCostTest {
    private final PostgresTestDatabase database = new PostgresTestDatabase();
    private final RoundTripCounter counter = new RoundTripCounter();
    private final String free = "free-" + UUID.randomUUID();
    private final String limited = "limited-" + UUID.randomUUID();
    private final String rated = "rated-" + UUID.randomUUID();
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
    void flowControlAndScheduleOperationsCost() {
        storage.setLimits(limited, QueueLimits.NONE.withMaxRunning(1000));
        storage.setLimits(rated, QueueLimits.NONE.withMaxRunning(1000).withRate(1000, Duration.ofMinutes(1)));
        for (String q : List.of(free, limited, rated)) {
            List<NewJob> jobs = new ArrayList<>();
            for (int i = 0; i < 105; i++) {
                jobs.add(job("j" + i));
            }
            storage.enqueueBatch(q, jobs);
            claimNow(q, 1); // warm: the limited path is known to this process from setLimits already
        }
        Map<String, int[]> cost = new LinkedHashMap<>();
        cost.put("claim 1 job, no limits", count(() -> claimNow(free, 1)));
        cost.put("claim 1 job, maxRunning", count(() -> claimNow(limited, 1)));
        cost.put("claim 1 job, maxRunning + rate", count(() -> claimNow(rated, 1)));
        cost.put("claim 100 jobs, no limits", count(() -> claimNow(free, 100)));
        cost.put("claim 100 jobs, maxRunning + rate", count(() -> claimNow(rated, 100)));
        String empty = "empty-" + UUID.randomUUID();
        cost.put("claim of none, no wait, no limits (first of the second: + limits probe)", count(() -> claimNow(empty, 1)));
        cost.put("claim of none, no wait, no limits (again within the second)", count(() -> claimNow(empty, 1)));
        storage.throttle(limited, Duration.ofMinutes(1));
        cost.put("claim held back (throttled), no wait", count(() -> claimNow(limited, 1)));
        ClaimedJob running = claimNow(free, 1).get(0);
        cost.put("snooze", count(() -> storage.snooze(free, new LeaseRef(running.id(), running.fencingToken()),
                Duration.ofSeconds(1))));
        ClaimedJob other = claimNow(free, 1).get(0);
        cost.put("cancel (PROCESSING)", count(() -> assertEquals(CancelResult.CANCELLED, storage.cancel(free, other.id()))));
        cost.put("setLimits", count(() -> storage.setLimits(free, QueueLimits.NONE)));
        cost.put("throttle", count(() -> storage.throttle(free, Duration.ofMillis(1))));
        Instant past = Instant.now().minusSeconds(5);
        for (int i = 0; i < 50; i++) {
            storage.upsertSchedule(free, "later-" + i, new byte[] {1}, Instant.now().plusSeconds(3600));
        }
        cost.put("upsertSchedule (new)", count(() -> storage.upsertSchedule(free, "s", new byte[] {1}, past)));
        cost.put("upsertSchedule (equal)", count(() -> storage.upsertSchedule(free, "s", new byte[] {1}, past)));
        List<List<ScheduleRecord>> due = new ArrayList<>();
        cost.put("dueSchedules (1 due of 51)", count(() -> due.add(storage.dueSchedules(free, 100))));
        assertEquals(1, due.get(0).size());
        ScheduleRecord s = due.get(0).get(0);
        cost.put("fire (enqueue + advanceSchedule)", count(() -> {
            storage.enqueue(free, job("s@" + s.nextFireAt()));
            assertTrue(storage.advanceSchedule(free, s.id(), s.version(), Instant.now().plusSeconds(3600)));
        }));
        cost.put("dueSchedules (none due)", count(() -> due.add(storage.dueSchedules(free, 100))));
        assertTrue(due.get(1).isEmpty());
        cost.forEach((op, n) -> System.out.println("COST " + op + ": " + n[0] + " round trip(s), " + n[1] + " statement(s)"));

        assertEquals(1, cost.get("claim 1 job, no limits")[0], "the unlimited claim stays one round trip");
        assertEquals(3, cost.get("claim 1 job, maxRunning")[0], "lock + counts, take, commit");
        assertEquals(4, cost.get("claim 1 job, maxRunning + rate")[0], "lock + counts, take, rate log, commit");
        assertTrue(cost.get("claim of none, no wait, no limits (first of the second: + limits probe)")[0] <= 2);
        assertEquals(1, cost.get("snooze")[0]);
        assertEquals(1, cost.get("cancel (PROCESSING)")[0]);
        assertEquals(1, cost.get("dueSchedules (none due)")[0]);
        assertEquals(2, cost.get("fire (enqueue + advanceSchedule)")[0]);
        assertEquals(1, cost.get("upsertSchedule (equal)")[0]);
    }

    private List<ClaimedJob> claimNow(String queue, int max) {
        try {
            return storage.claim(queue, "w", max, Duration.ofSeconds(30), Duration.ZERO);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Round trips and SQL statements (a multi-statement execute counts each of its statements). */
    private int[] count(Runnable op) {
        RoundTripCounter.Cost c = counter.measure(op);
        return new int[] {c.roundTrips(), c.statements()};
    }

    private static NewJob job(String id) {
        return new NewJob(id, new byte[] {42}, 0, Duration.ZERO, null, 3, 3, Duration.ofHours(1), false);
    }
}
