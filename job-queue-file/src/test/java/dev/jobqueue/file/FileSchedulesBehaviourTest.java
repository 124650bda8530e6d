package dev.jobqueue.file;

import dev.jobqueue.contract.SchedulesBehaviourContract;
import dev.jobqueue.spi.Storage;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;

/** The Queue's recurring schedules on FileStorage. */
class FileSchedulesBehaviourTest extends SchedulesBehaviourContract {
    private static final ScratchStorages STORAGES = new ScratchStorages();

    @Override
    protected Storage createStorage(Clock clock) {
        return STORAGES.open("schedules", clock);
    }

    @AfterAll
    static void deleteDirectories() {
        STORAGES.deleteAll();
    }
}
