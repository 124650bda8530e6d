package dev.jobqueue.file;

import java.util.List;

/**
 * An unchanging copy of a {@link StateIndex} at one point of the journal, for writing a snapshot
 * on another thread while the storage loop goes on changing the index. Records are immutable, so
 * copying the references is enough.
 */
record StateImage(List<JobRecord> jobs, List<LockRecord> locks, List<String> pausedQueues, long lastSeq,
                  long lastToken) {
}
