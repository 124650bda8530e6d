package dev.jobqueue.file;

import dev.jobqueue.contract.QueueBehaviourContract;
import dev.jobqueue.spi.Storage;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;

/** The Queue behaves on FileStorage (FSYNC_EACH) exactly as on every other storage. */
class FileQueueBehaviourTest extends QueueBehaviourContract {
    private static final ScratchStorages STORAGES = new ScratchStorages();

    @Override
    protected Storage createStorage(Clock clock) {
        return STORAGES.open("queue", clock);
    }

    @AfterAll
    static void deleteDirectories() {
        STORAGES.deleteAll();
    }
}
