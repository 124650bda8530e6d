package dev.jobqueue.redis;

import dev.jobqueue.contract.StorageContract;
import dev.jobqueue.spi.Storage;
import java.time.Clock;

/** RedisStorage passes the storage contract (on the ManualClock, sent to the scripts as "now"). */
class RedisStorageContractTest extends StorageContract {
    private String prefix;

    @Override
    protected Storage createStorage(Clock clock) {
        prefix = RedisTestServer.uniquePrefix();
        return RedisStorage.builder().uri(RedisTestServer.url()).keyPrefix(prefix).clock(clock).build();
    }

    @Override
    protected void destroyStorage(Storage s) {
        s.close();
        RedisTestServer.deleteKeys(prefix);
    }
}
