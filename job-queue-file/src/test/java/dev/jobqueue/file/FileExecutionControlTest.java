package dev.jobqueue.file;

import dev.jobqueue.contract.ExecutionControlContract;
import dev.jobqueue.spi.Storage;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;

/** Execution control (timeouts, cancel of running jobs, retry policy, snooze, limits) on FileStorage. */
class FileExecutionControlTest extends ExecutionControlContract {
    private static final ScratchStorages STORAGES = new ScratchStorages();

    @Override
    protected Storage createStorage(Clock clock) {
        return STORAGES.open("exec", clock);
    }

    @AfterAll
    static void deleteDirectories() {
        STORAGES.deleteAll();
    }
}
