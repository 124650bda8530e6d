package dev.jobqueue.redis;

import dev.jobqueue.contract.ManualClock;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Storages for the behaviour suites, each under its own key prefix, all deleted by {@link #deleteAll}
 * once the suite's queues and reapers are stopped. A {@link ManualClock} is injected (testing aid);
 * any other clock means real time, i.e. Redis {@code TIME}, as in production.
 */
final class RedisTestStorages {
    private final List<String> prefixes = new CopyOnWriteArrayList<>();

    RedisStorage create(Clock clock) {
        String prefix = RedisTestServer.uniquePrefix();
        prefixes.add(prefix);
        RedisStorage.Builder b = RedisStorage.builder().uri(RedisTestServer.url()).keyPrefix(prefix);
        if (clock instanceof ManualClock) {
            b.clock(clock);
        }
        return b.build();
    }

    void deleteAll() {
        for (String p : prefixes) {
            RedisTestServer.deleteKeys(p);
        }
        prefixes.clear();
    }
}
