package dev.jobqueue.memory;

import dev.jobqueue.contract.ExecutionControlContract;
import dev.jobqueue.spi.Storage;
import java.time.Clock;

class MemoryExecutionControlTest extends ExecutionControlContract {
    @Override
    protected Storage createStorage(Clock clock) {
        return new MemoryStorage(clock);
    }
}
