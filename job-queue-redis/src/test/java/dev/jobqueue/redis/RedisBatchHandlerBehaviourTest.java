package dev.jobqueue.redis;

import dev.jobqueue.contract.ManualClock;
import dev.jobqueue.contract.BatchHandlerBehaviourContract;
import dev.jobqueue.spi.Storage;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;

/** The Queue's batch handlers on RedisStorage (real time = Redis TIME; ManualClock tests inject the clock). */
class RedisBatchHandlerBehaviourTest extends BatchHandlerBehaviourContract {
    private static final List<String> PREFIXES = new CopyOnWriteArrayList<>();

    @Override
    protected Storage createStorage(Clock clock) {
        String prefix = "jqtest-sched-" + UUID.randomUUID();
        PREFIXES.add(prefix);
        RedisStorage.Builder b = RedisStorage.builder().uri(RedisTestServer.url()).keyPrefix(prefix);
        if (clock instanceof ManualClock) {
            b.clock(clock);
        }
        return b.build();
    }

    @AfterAll
    static void deleteKeys() {
        PREFIXES.forEach(RedisTestServer::deleteKeys);
        PREFIXES.clear();
    }
}
