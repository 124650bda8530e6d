package dev.jobqueue.redis;

import dev.jobqueue.contract.ExecutionControlContract;
import dev.jobqueue.spi.Storage;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;

/** Execution control (timeouts, cancel of running jobs, retry policy, snooze, limits) on RedisStorage. */
class RedisExecutionControlTest extends ExecutionControlContract {
    private static final RedisTestStorages STORAGES = new RedisTestStorages();

    @Override
    protected Storage createStorage(Clock clock) {
        return STORAGES.create(clock);
    }

    @AfterAll
    static void deleteKeys() {
        STORAGES.deleteAll();
    }
}
