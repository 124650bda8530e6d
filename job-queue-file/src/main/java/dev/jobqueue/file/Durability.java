package dev.jobqueue.file;

/**
 * When {@link FileStorage} fsyncs the journal.
 *
 * <!-- snippet: durability -->
 * <pre>{@code
 * FileStorage.open(dir, FileStorageOptions.builder().durability(Durability.FSYNC_BATCHED)
 *         .batchInterval(Duration.ofMillis(20)).build());
 * }</pre>
 */
public enum Durability {
    /**
     * Every acknowledged enqueue, completion, failure, retry, release, cancel and TTL change, and
     * every operator retry, delete, purge, promote and pause change, is on disk (fsynced) before
     * the call returns. Concurrent callers share one fsync (group commit).
     * Claims, lease extensions and leader-lock changes ride on the next fsync: losing one in a
     * power failure only means the job is QUEUED again (at-least-once holds) or a lock is free.
     */
    FSYNC_EACH,
    /**
     * The journal is fsynced at most every {@code batchInterval}; calls return once their record
     * is written to the OS. A process crash loses nothing; a power failure or kernel crash loses
     * at most the operations acknowledged during the last {@code batchInterval}.
     */
    FSYNC_BATCHED
}
