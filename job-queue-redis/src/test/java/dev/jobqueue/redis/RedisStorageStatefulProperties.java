package dev.jobqueue.redis;

import dev.jobqueue.contract.StorageStatefulProperties;
import dev.jobqueue.spi.Storage;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * RedisStorage agrees with the reference model on random operation sequences; "reopen" closes
 * the storage and builds a new one on the same keys (all state lives in Redis).
 */
class RedisStorageStatefulProperties extends StorageStatefulProperties {
    private final Map<Storage, String> prefixes = new ConcurrentHashMap<>();

    @Override
    protected Storage createStorage(Clock clock) {
        return open(RedisTestServer.uniquePrefix(), clock);
    }

    @Override
    protected Storage reopen(Storage s, Clock clock) {
        String prefix = prefixes.remove(s);
        s.close();
        return open(prefix, clock);
    }

    @Override
    protected void destroyStorage(Storage s) {
        s.close();
        RedisTestServer.deleteKeys(prefixes.remove(s));
    }

    private Storage open(String prefix, Clock clock) {
        Storage s = RedisStorage.builder().uri(RedisTestServer.url()).keyPrefix(prefix).clock(clock).build();
        prefixes.put(s, prefix);
        return s;
    }
}
