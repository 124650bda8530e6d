package dev.jobqueue.postgres;

import dev.jobqueue.contract.ExecutionControlContract;
import dev.jobqueue.spi.Storage;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;

/** Execution control (timeouts, cancel of running jobs, retry policy, snooze, limits) on PostgresStorage. */
class PostgresExecutionControlTest extends ExecutionControlContract {
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
