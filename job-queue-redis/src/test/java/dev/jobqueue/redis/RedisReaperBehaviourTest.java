package dev.jobqueue.redis;

import dev.jobqueue.contract.ReaperBehaviourContract;
import dev.jobqueue.spi.Storage;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;

/** The Reaper's behaviour (stalls, leader election) on RedisStorage. */
class RedisReaperBehaviourTest extends ReaperBehaviourContract {
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
