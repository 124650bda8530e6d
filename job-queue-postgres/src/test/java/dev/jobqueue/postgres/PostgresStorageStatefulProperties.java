package dev.jobqueue.postgres;

import dev.jobqueue.contract.ManualClock;
import dev.jobqueue.contract.StorageStatefulProperties;
import dev.jobqueue.spi.Storage;
import java.time.Clock;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * PostgresStorage agrees with the reference model on random operation sequences. One storage (one
 * schema, one pool) serves every try of the property: each try works on a queue of its own
 * ({@code stateful-<uuid>}, and the model only ever looks at that queue), so tries stay isolated
 * while the schema fills with the earlier tries' queues, which the try must never see. The
 * storage's clock follows the current try's ManualClock. "reopen" closes the storage and builds a
 * new one on the same schema (all state lives in the database); later tries go on with that one.
 * Building a pool per try made the property cost ~2 s a try.
 */
class PostgresStorageStatefulProperties extends StorageStatefulProperties {
    private final PostgresTestDatabase database = new PostgresTestDatabase();
    private final String schema = database.newSchema();
    private final SwitchingClock clock = new SwitchingClock(new ManualClock());
    private Storage shared;

    @Override
    protected Storage createStorage(Clock tryClock) {
        clock.use(tryClock);
        if (shared == null) {
            shared = open();
        }
        return shared;
    }

    @Override
    protected Storage reopen(Storage s, Clock tryClock) {
        s.close();
        clock.use(tryClock);
        shared = open();
        return shared;
    }

    @Override
    protected void destroyStorage(Storage s) {
        // kept for the next try; its queue is never used again
    }

    @AfterProperty
    void closeAndDrop() {
        if (shared != null) {
            shared.close();
            shared = null;
        }
        database.dropAll();
    }

    private Storage open() {
        return PostgresStorage.builder().jdbcUrl(PostgresTestDatabase.URL)
                .poolSize(2).schema(schema).clock(clock).build();
    }
}
