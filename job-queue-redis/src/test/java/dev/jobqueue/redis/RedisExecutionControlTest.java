package dev.jobqueue.redis;

import dev.jobqueue.contract.ExecutionControlContract;
import dev.jobqueue.spi.Storage;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;

/**
 * Execution control (timeouts, cancel of running jobs, retry policy, snooze, limits) on RedisStorage
 * (real time = Redis TIME), each storage under its own key prefix {@code jqtest-exec-*}.
 */
class RedisExecutionControlTest extends ExecutionControlContract {
    private static final List<String> PREFIXES = new CopyOnWriteArrayList<>();

    @Override
    protected Storage createStorage(Clock clock) {
        String prefix = "jqtest-exec-" + UUID.randomUUID();
        PREFIXES.add(prefix);
        return RedisStorage.builder().uri(RedisTestServer.url()).keyPrefix(prefix).build();
    }

    @AfterAll
    static void deleteKeys() {
        PREFIXES.forEach(RedisTestServer::deleteKeys);
        PREFIXES.clear();
    }
}
