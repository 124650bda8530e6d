package dev.jobqueue.postgres;

import dev.jobqueue.contract.ManualClock;
import dev.jobqueue.spi.Storage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;

/**
 * Storages that the tests of one class share one after another, instead of a storage (a pool, a
 * LISTEN connection and a migrated schema, ~1.5 s on a busy machine) per test: one on database
 * time, and one whose clock follows the current test's {@link ManualClock} (through a
 * {@link SwitchingClock}). Each test works on queue names of its own, which is all that separates
 * tests on a persistent storage anyway. The storages handed out ignore {@code close()} (the
 * contracts close every storage after each test); {@link #close} closes the real ones and drops
 * their schemas. Tests of a class run one at a time (JUnit's default).
 */
final class SharedStorages implements AutoCloseable {
    private final PostgresTestDatabase database = new PostgresTestDatabase();
    private final SwitchingClock manualTime = new SwitchingClock(new ManualClock());
    private final int poolSize;
    private PostgresStorage onDatabaseTime;
    private PostgresStorage onManualTime;

    SharedStorages(int poolSize) {
        this.poolSize = poolSize;
    }

    /**
     * The shared storage for {@code clock}: the ManualClock one (now following {@code clock}) or
     * the database-time one, behind a proxy that ignores {@code close()}.
     */
    synchronized Storage get(Clock clock) {
        if (clock instanceof ManualClock) {
            manualTime.use(clock);
            if (onManualTime == null) {
                onManualTime = builder().clock(manualTime).build();
            }
            return unclosable(onManualTime);
        }
        if (onDatabaseTime == null) {
            onDatabaseTime = builder().build();
        }
        return unclosable(onDatabaseTime);
    }

    private PostgresStorage.Builder builder() {
        return PostgresStorage.builder().jdbcUrl(PostgresTestDatabase.URL).poolSize(poolSize).schema(database.newSchema());
    }

    /** {@code storage}, except that {@code close()} does nothing. */
    static Storage unclosable(Storage storage) {
        return (Storage) Proxy.newProxyInstance(Storage.class.getClassLoader(), new Class<?>[] {Storage.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close") && method.getParameterCount() == 0) {
                        return null;
                    }
                    if (method.getDeclaringClass() == Object.class) {
                        switch (method.getName()) {
                            case "equals":
                                return proxy == args[0];
                            case "hashCode":
                                return System.identityHashCode(proxy);
                            default:
                                return "unclosable " + storage;
                        }
                    }
                    try {
                        return method.invoke(storage, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override
    public synchronized void close() {
        if (onDatabaseTime != null) {
            onDatabaseTime.close();
            onDatabaseTime = null;
        }
        if (onManualTime != null) {
            onManualTime.close();
            onManualTime = null;
        }
        database.dropAll();
    }
}
