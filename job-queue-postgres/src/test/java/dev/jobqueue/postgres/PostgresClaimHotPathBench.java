package dev.jobqueue.postgres;

import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.Completion;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.NewJob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A measurement, not a check (run with {@code -Dpg.bench=true}): the latency of a one-job claim of
 * a queue without limits, so that the flow-control guard's cost can be compared with the code
 * before it. Prints {@code BENCH} lines: the median of several rounds of 500 claims each.
 */
@EnabledIfSystemProperty(named = "pg.bench", matches = "true")
class PostgresClaimHotPathBench {
    private final PostgresTestDatabase database = new PostgresTestDatabase();

    /**
     * The take statement's plan with the guard evaluated (an unlimited claim) and skipped (the
     * guard's first operand true), run and rolled back alternately: server-side time and buffers.
     */
    @Test
    void theGuardsServerSideCost() throws Exception {
        try (PostgresStorage storage = database.create(null)) {
            String queue = "bench";
            List<NewJob> jobs = new ArrayList<>();
            for (int i = 0; i < 5000; i++) {
                jobs.add(new NewJob("j" + i, new byte[] {1}, 0, Duration.ZERO, null, 3, 3, Duration.ofHours(1), false));
            }
            storage.enqueueBatch(queue, jobs);
            storage.setLimits("some-other-queue", dev.jobqueue.QueueLimits.NONE.withMaxRunning(2));
            String take = new Sql(new Schema(storage.schema(), storage.tablePrefix())).promoteAndTake.split(";\n")[1];
            double[] total = new double[2];
            String[] plans = new String[2];
            try (java.sql.Connection c = PostgresTestDatabase.connect()) {
                c.setAutoCommit(false);
                for (int round = 0; round < 400; round++) {
                    int skip = round % 2;
                    try (java.sql.PreparedStatement ps = c.prepareStatement("EXPLAIN (ANALYZE, BUFFERS) " + take)) {
                        Params.bind(ps, null, queue, queue, skip == 1, queue, 1, "w", 60_000L);
                        StringBuilder plan = new StringBuilder();
                        try (java.sql.ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                String line = rs.getString(1);
                                plan.append(line).append('\n');
                                if (line.startsWith("Execution Time:") && round >= 100) {
                                    total[skip] += Double.parseDouble(line.replaceAll("[^0-9.]", ""));
                                }
                            }
                        }
                        plans[skip] = plan.toString();
                    }
                    c.rollback();
                }
            }
            System.out.printf("BENCH take statement server time, mean of 150: guard evaluated %.1f us, guard skipped %.1f us%n",
                    total[0] / 150 * 1000, total[1] / 150 * 1000);
            System.out.println("BENCH plan, guard evaluated:\n" + plans[0]);
            System.out.println("BENCH plan, guard skipped:\n" + plans[1]);
        } finally {
            database.dropAll();
        }
    }

    /** The plans of dueSchedules, snooze and cancel on a fresh (never analyzed) schema. */
    @Test
    void plansOnAFreshSchema() throws Exception {
        try (PostgresStorage storage = database.create(null)) {
            java.time.Instant later = java.time.Instant.now().plusSeconds(3600);
            for (int i = 0; i < 300; i++) {
                storage.upsertSchedule("q", "s" + i, new byte[] {1}, later);
                storage.upsertSchedule("other" + (i % 3), "s" + i, new byte[] {1}, later);
            }
            Schema names = new Schema(storage.schema(), storage.tablePrefix());
            try (java.sql.Connection c = PostgresTestDatabase.connect();
                    java.sql.Statement st = c.createStatement();
                    java.sql.ResultSet rs = st.executeQuery("EXPLAIN (ANALYZE, BUFFERS) WITH c AS (SELECT "
                            + "floor(extract(epoch from clock_timestamp()) * 1000)::bigint AS now) SELECT s.id FROM " + names.schedules
                            + " s, c WHERE s.qkey = " + names.key + "('q') AND s.next_fire_at <= c.now"
                            + " AND (s.next_fire_at < c.now OR s.next_fire_ns = 0) ORDER BY s.next_fire_at, s.next_fire_ns, s.ikey LIMIT 100")) {
                while (rs.next()) {
                    System.out.println("BENCH due plan: " + rs.getString(1));
                }
            }
        } finally {
            database.dropAll();
        }
    }

    @Test
    void oneJobClaimsOfAQueueWithoutLimits() throws Exception {
        int n = 500;
        try (PostgresStorage storage = database.create(null)) {
            List<Double> perClaimMicros = new ArrayList<>();
            for (int round = 0; round < 7; round++) {
                String queue = "bench-" + UUID.randomUUID();
                List<NewJob> jobs = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    jobs.add(new NewJob("j" + i, new byte[] {1}, 0, Duration.ZERO, null, 3, 3, Duration.ofHours(1), false));
                }
                storage.enqueueBatch(queue, jobs);
                List<Completion> done = new ArrayList<>(n);
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    for (ClaimedJob c : storage.claim(queue, "w", 1, Duration.ofSeconds(60), Duration.ZERO)) {
                        done.add(new Completion(new LeaseRef(c.id(), c.fencingToken()), new byte[0], null));
                    }
                }
                long elapsed = System.nanoTime() - start;
                if (done.size() != n) {
                    throw new AssertionError("claimed " + done.size());
                }
                storage.completeAll(queue, done);
                if (round >= 2) { // the first rounds warm up the JIT and the plans
                    perClaimMicros.add(elapsed / 1000.0 / n);
                }
            }
            perClaimMicros.sort(null);
            System.out.printf("BENCH one-job claim, no limits: median %.1f us per claim, rounds %s%n",
                    perClaimMicros.get(perClaimMicros.size() / 2), perClaimMicros);
        } finally {
            database.dropAll();
        }
    }
}
