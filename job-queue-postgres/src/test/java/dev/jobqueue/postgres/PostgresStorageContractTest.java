package dev.jobqueue.postgres;

import dev.jobqueue.contract.StorageContract;
import dev.jobqueue.spi.Storage;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;

/**
 * PostgresStorage passes the storage contract (on the ManualClock, sent with every statement as
 * "now"). One storage serves every test of the class, one after another ({@link SharedStorages}):
 * each test has a queue name of its own (the contract's fixture; tests that need a second queue
 * derive its name from their own), and the storage's clock follows the current test's ManualClock.
 */
class PostgresStorageContractTest extends StorageContract {
    private static final SharedStorages STORAGES = new SharedStorages(4);

    @Override
    protected Storage createStorage(Clock clock) {
        return STORAGES.get(clock);
    }

    @AfterAll
    static void closeStorages() {
        STORAGES.close();
    }
}
