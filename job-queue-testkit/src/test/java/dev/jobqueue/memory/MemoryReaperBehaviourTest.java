package dev.jobqueue.memory;

import dev.jobqueue.contract.ReaperBehaviourContract;
import dev.jobqueue.spi.Storage;
import java.time.Clock;

class MemoryReaperBehaviourTest extends ReaperBehaviourContract {
    @Override
    protected Storage createStorage(Clock clock) {
        return new MemoryStorage(clock);
    }
}
