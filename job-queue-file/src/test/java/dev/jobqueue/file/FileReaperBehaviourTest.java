package dev.jobqueue.file;

import dev.jobqueue.contract.ReaperBehaviourContract;
import dev.jobqueue.spi.Storage;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;

/** The Reaper (stall recovery, leader election) behaves on FileStorage as on every other storage. */
class FileReaperBehaviourTest extends ReaperBehaviourContract {
    private static final ScratchStorages STORAGES = new ScratchStorages();

    @Override
    protected Storage createStorage(Clock clock) {
        return STORAGES.open("reaper", clock);
    }

    @AfterAll
    static void deleteDirectories() {
        STORAGES.deleteAll();
    }
}
