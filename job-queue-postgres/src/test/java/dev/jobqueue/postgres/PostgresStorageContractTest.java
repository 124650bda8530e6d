package dev.jobqueue.postgres;

import dev.jobqueue.contract.StorageContract;
import dev.jobqueue.spi.Storage;
import java.time.Clock;

/** PostgresStorage passes the storage contract (on the ManualClock, sent with every statement as "now"). */
class PostgresStorageContractTest extends StorageContract {
    private final PostgresTestDatabase database = new PostgresTestDatabase();

    @Override
    protected Storage createStorage(Clock clock) {
        return database.create(clock);
    }

    @Override
    protected void destroyStorage(Storage s) {
        s.close();
        database.dropAll();
    }
}
