package dev.jobqueue.file;

import dev.jobqueue.contract.BatchHandlerBehaviourContract;
import dev.jobqueue.spi.Storage;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;

/** The Queue's batch handlers on FileStorage. */
class FileBatchHandlerBehaviourTest extends BatchHandlerBehaviourContract {
    private static final ScratchStorages STORAGES = new ScratchStorages();

    @Override
    protected Storage createStorage(Clock clock) {
        return STORAGES.open("batches", clock);
    }

    @AfterAll
    static void deleteDirectories() {
        STORAGES.deleteAll();
    }
}
