package dev.jobqueue.postgres;

import dev.jobqueue.contract.SchedulesBehaviourContract;
import dev.jobqueue.spi.Storage;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;

/** The Queue's recurring schedules on PostgresStorage (real time = database time; ManualClock tests inject the clock). */
class PostgresSchedulesBehaviourTest extends SchedulesBehaviourContract {
    private static final PostgresTestDatabase DATABASE = new PostgresTestDatabase();

    @Override
    protected Storage createStorage(Clock clock) {
        return DATABASE.create(clock);
    }

    @AfterAll
    static void dropSchemas() {
        DATABASE.dropAll();
    }
}
