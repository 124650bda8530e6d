package dev.jobqueue.memory;

import dev.jobqueue.contract.BatchHandlerBehaviourContract;
import dev.jobqueue.spi.Storage;
import java.time.Clock;

class MemoryBatchHandlerBehaviourTest extends BatchHandlerBehaviourContract {
    @Override
    protected Storage createStorage(Clock clock) {
        return new MemoryStorage(clock);
    }
}
