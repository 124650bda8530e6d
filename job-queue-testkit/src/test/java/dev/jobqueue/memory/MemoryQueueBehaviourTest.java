package dev.jobqueue.memory;

import dev.jobqueue.contract.QueueBehaviourContract;
import dev.jobqueue.spi.Storage;
import java.time.Clock;

class MemoryQueueBehaviourTest extends QueueBehaviourContract {
    @Override
    protected Storage createStorage(Clock clock) {
        return new MemoryStorage(clock);
    }
}
