package dev.jobqueue.memory;

import dev.jobqueue.contract.StorageContract;
import dev.jobqueue.spi.Storage;
import java.time.Clock;

/** MemoryStorage passes the storage contract. */
class MemoryStorageContractTest extends StorageContract {
    @Override
    protected Storage createStorage(Clock clock) {
        return new MemoryStorage(clock);
    }
}
