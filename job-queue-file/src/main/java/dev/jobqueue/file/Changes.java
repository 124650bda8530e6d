package dev.jobqueue.file;

import dev.jobqueue.QueueLimits;
import dev.jobqueue.spi.ScheduleRecord;
import java.time.Instant;

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

    /** Journals and applies the queue's flow-control limits. */
    void setLimits(String queue, QueueLimits limits);

    /** Journals and applies a throttle of the queue until {@code until} (a later end already in force stays). */
    void throttle(String queue, Instant until);

    /** Journals and applies a created or changed schedule (the record is kept: not to be changed by the caller). */
    void putSchedule(String queue, ScheduleRecord schedule);

    /** Journals and applies the removal of a schedule. */
    void removeSchedule(String queue, String id);

    /** Journals and applies a schedule's new fire time and version. */
    void advanceSchedule(String queue, String id, Instant nextFireAt, long version);
}
