package dev.jobqueue.file;

/** Runs a test step on a storage directory under its exclusive lock, as a writing process would. */
final class LockedSteps {
    private LockedSteps() {
    }

    interface IoStep {
        void run() throws Exception;
    }

    static void locked(StorageDirectory directory, IoStep step) throws Exception {
        StorageDirectory.DirectoryLock lock = directory.lockExclusive();
        try {
            step.run();
        } finally {
            lock.close();
        }
    }
}
