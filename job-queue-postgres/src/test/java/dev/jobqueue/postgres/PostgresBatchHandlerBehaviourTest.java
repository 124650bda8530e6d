package dev.jobqueue.postgres;

import dev.jobqueue.contract.BatchHandlerBehaviourContract;
import dev.jobqueue.spi.Storage;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;

/** The Queue's batch handlers on PostgresStorage (real time = database time; ManualClock tests inject the clock). */
class PostgresBatchHandlerBehaviourTest extends BatchHandlerBehaviourContract {
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
