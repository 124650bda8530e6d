package dev.jobqueue.memory;

import dev.jobqueue.contract.StorageStatefulProperties;
import dev.jobqueue.spi.Storage;
import java.time.Clock;

/** MemoryStorage agrees with the reference model on random operation sequences. */
class MemoryStorageStatefulProperties extends StorageStatefulProperties {
    @Override
    protected Storage createStorage(Clock clock) {
        return new MemoryStorage(clock);
    }
}
