package dev.jobqueue.file;

import dev.jobqueue.QueueLimits;
import dev.jobqueue.spi.FinishedTotals;
import dev.jobqueue.spi.ScheduleRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An unchanging copy of a {@link StateIndex} at one point of the journal, for writing a snapshot
 * on another thread while the storage loop goes on changing the index. Records are immutable, so
 * copying the references is enough.
 */
record StateImage(List<JobRecord> jobs, List<LockRecord> locks, List<String> pausedQueues,
                  Map<String, FinishedTotals> finishedTotals, long lastSeq, long lastToken,
                  Map<String, QueueLimits> limits, Map<String, Instant> throttles, List<QueueSchedule> schedules) {

    /** One schedule and its queue. */
    record QueueSchedule(String queue, ScheduleRecord schedule) {
    }
}
