package dev.jobqueue.memory;

import dev.jobqueue.contract.SchedulesBehaviourContract;
import dev.jobqueue.spi.Storage;
import java.time.Clock;

class MemorySchedulesBehaviourTest extends SchedulesBehaviourContract {
    @Override
    protected Storage createStorage(Clock clock) {
        return new MemoryStorage(clock);
    }
}
