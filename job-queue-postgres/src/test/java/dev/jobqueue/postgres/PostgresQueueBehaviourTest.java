package dev.jobqueue.postgres;

import dev.jobqueue.contract.QueueBehaviourContract;
import dev.jobqueue.spi.Storage;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;

/** The Queue's end-to-end behaviour on PostgresStorage (real time = database time; ManualClock tests inject the clock). */
class PostgresQueueBehaviourTest extends QueueBehaviourContract {
    private static final SharedStorages STORAGES = new SharedStorages(4);

    /** The class's shared storage for this clock (see {@link SharedStorages}); each test has queues of its own. */
    @Override
    protected Storage createStorage(Clock clock) {
        return STORAGES.get(clock);
    }

    @AfterAll
    static void closeStorages() {
        STORAGES.close();
    }
}
