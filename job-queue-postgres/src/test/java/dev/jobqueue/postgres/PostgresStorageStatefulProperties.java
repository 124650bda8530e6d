package dev.jobqueue.postgres;

import dev.jobqueue.contract.StorageStatefulProperties;
import dev.jobqueue.spi.Storage;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * PostgresStorage agrees with the reference model on random operation sequences; "reopen" closes
 * the storage and builds a new one on the same schema (all state lives in the database).
 */
class PostgresStorageStatefulProperties extends StorageStatefulProperties {
    private final PostgresTestDatabase database = new PostgresTestDatabase();
    private final Map<Storage, String> schemas = new ConcurrentHashMap<>();

    @Override
    protected Storage createStorage(Clock clock) {
        return open(database.newSchema(), clock);
    }

    @Override
    protected Storage reopen(Storage s, Clock clock) {
        String schema = schemas.remove(s);
        s.close();
        return open(schema, clock);
    }

    @Override
    protected void destroyStorage(Storage s) {
        String schema = schemas.remove(s);
        s.close();
        database.drop(schema);
    }

    private Storage open(String schema, Clock clock) {
        Storage s = PostgresStorage.builder().jdbcUrl(PostgresTestDatabase.URL)
                .poolSize(2).schema(schema).clock(clock).build();
        schemas.put(s, schema);
        return s;
    }
}
