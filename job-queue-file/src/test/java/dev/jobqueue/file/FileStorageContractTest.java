package dev.jobqueue.file;

import dev.jobqueue.contract.StorageContract;
import dev.jobqueue.spi.Storage;
import java.nio.file.Path;
import java.time.Clock;

/** FileStorage passes the storage contract, each test in its own directory. */
class FileStorageContractTest extends StorageContract {
    private Path dir;

    @Override
    protected Storage createStorage(Clock clock) {
        dir = TempDirs.create("contract");
        return FileStorage.open(dir, FileStorageOptions.builder().clock(clock).build());
    }

    @Override
    protected void destroyStorage(Storage s) {
        s.close();
        TempDirs.delete(dir);
    }
}
