package dev.jobqueue.postgres;

import dev.jobqueue.contract.ReaperBehaviourContract;
import dev.jobqueue.spi.Storage;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;

/** The Reaper's behaviour (stalls, leader election) on PostgresStorage. */
class PostgresReaperBehaviourTest extends ReaperBehaviourContract {
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
