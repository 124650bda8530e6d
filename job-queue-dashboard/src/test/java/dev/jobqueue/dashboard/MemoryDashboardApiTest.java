package dev.jobqueue.dashboard;

import dev.jobqueue.memory.MemoryStorage;
import dev.jobqueue.spi.Storage;

/** The dashboard API on a MemoryStorage. */
class MemoryDashboardApiTest extends DashboardApiContract {
    @Override
    protected Storage createStorage() {
        return new MemoryStorage();
    }
}
