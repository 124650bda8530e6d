package dev.jobqueue.file;

/**
 * Where a decided transition goes: the record is appended to the pending journal write and
 * applied to the index in the same step, so the index never holds a change the journal will not.
 */
interface Changes {
    /** Journals and applies {@code job}; its payload and metadata are written only when the job is new. */
    void put(JobRecord job, boolean includePayload);

    void putLock(LockRecord lock);

    void removeLock(String queue, String name);

    /** Journals and applies the deletion of {@code job} (its current record). */
    void delete(JobRecord job);

    /** Journals and applies the queue's pause flag. */
    void setPaused(String queue, boolean paused);
}
