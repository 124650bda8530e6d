package dev.jobqueue.redis;

import dev.jobqueue.contract.QueueBehaviourContract;
import dev.jobqueue.spi.Storage;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;

/** The Queue's end-to-end behaviour on RedisStorage (real time = Redis TIME; ManualClock tests inject the clock). */
class RedisQueueBehaviourTest extends QueueBehaviourContract {
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
