package dev.jobqueue.dashboard;

import dev.jobqueue.spi.Storage;

/** The dashboard API on a real Redis (the shared test server, keys under a prefix of this test's own). */
class RedisDashboardApiTest extends DashboardApiContract {
    private String prefix;

    @Override
    protected Storage createStorage() {
        RedisServers.assumeReachable();
        prefix = RedisServers.newPrefix();
        return RedisServers.storage(prefix);
    }

    @Override
    protected void destroyStorage(Storage s) {
        s.close();
        RedisServers.deleteKeys(prefix);
    }
}
