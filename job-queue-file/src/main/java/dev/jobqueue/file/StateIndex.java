package dev.jobqueue.file;

import dev.jobqueue.JobState;
import dev.jobqueue.QueueLimits;
import dev.jobqueue.spi.FinishedTotals;
import dev.jobqueue.spi.ScheduleRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The whole in-memory state of one storage directory: a {@link QueueIndex} per queue name (jobs,
 * locks, pause flag) plus the counters that must never go backwards (FIFO sequence, fencing
 * tokens, and the finished-job totals per queue, kept apart from the queue's index so that they
 * outlive a queue whose last job expired). Records are
 * applied here both when this process decides a transition and when it replays the journal
 * (its own on open, other processes' during catch-up), so both paths build the same state.
 */
final class StateIndex {
    private final Map<String, QueueIndex> queues = new HashMap<>();
    private long lastSeq;
    private long lastToken;
    private final Map<String, FinishedTotals> finishedTotals = new HashMap<>();

    /** Forgets everything (before a full reload from disk). */
    void clear() {
        queues.clear();
        finishedTotals.clear();
        lastSeq = 0;
        lastToken = 0;
    }

    /**
     * The queue's index for reading: the empty one (shared, never changed) for a queue that holds
     * nothing, so that reads of any queue name leave nothing behind.
     */
    QueueIndex find(String name) {
        QueueIndex q = queues.get(name);
        return q != null ? q : QueueIndex.EMPTY;
    }

    /** The queue's index for changing, created on first use. */
    private QueueIndex queue(String name) {
        return queues.computeIfAbsent(name, n -> new QueueIndex());
    }

    /** Forgets a queue that holds nothing any more (no job, no lock, no pause flag). */
    private void pruneIfEmpty(String name) {
        QueueIndex q = queues.get(name);
        if (q != null && q.isEmpty()) {
            queues.remove(name);
        }
    }

    void apply(JobRecord job) {
        queue(job.queue()).put(job);
        lastSeq = Math.max(lastSeq, job.seq());
        lastToken = Math.max(lastToken, job.token());
    }

    /** Forgets a deleted job; returns its record, or {@code null} when it was unknown. */
    JobRecord delete(String queue, String id) {
        QueueIndex q = queues.get(queue);
        if (q == null) {
            return null;
        }
        JobRecord deleted = q.remove(id);
        pruneIfEmpty(queue);
        return deleted;
    }

    void applyPause(String queue, boolean paused) {
        if (paused) {
            queue(queue).setPaused(true);
        } else if (queues.containsKey(queue)) {
            queues.get(queue).setPaused(false);
            pruneIfEmpty(queue);
        }
    }

    void applyLimits(String queue, QueueLimits limits) {
        if (!limits.isUnlimited()) {
            queue(queue).setLimits(limits);
        } else if (queues.containsKey(queue)) {
            queues.get(queue).setLimits(limits);
            pruneIfEmpty(queue);
        }
    }

    void applyThrottle(String queue, Instant until) {
        queue(queue).throttleUntil(until);
    }

    void applySchedule(String queue, ScheduleRecord schedule) {
        queue(queue).schedules().put(schedule);
    }

    /** Moves a known schedule to {@code nextFireAt} and {@code version}; false when it is unknown. */
    boolean advanceSchedule(String queue, String id, Instant nextFireAt, long version) {
        ScheduleRecord current = find(queue).schedules().get(id);
        if (current == null) {
            return false;
        }
        queue(queue).schedules().put(new ScheduleRecord(id, current.definition(), nextFireAt, version));
        return true;
    }

    void removeSchedule(String queue, String id) {
        QueueIndex q = queues.get(queue);
        if (q != null) {
            q.schedules().remove(id);
            pruneIfEmpty(queue);
        }
    }

    void apply(LockRecord lock) {
        queue(lock.queue()).putLock(lock);
    }

    void removeLock(String queue, String name) {
        QueueIndex q = queues.get(queue);
        if (q != null) {
            q.removeLock(name);
            pruneIfEmpty(queue);
        }
    }

    /**
     * Counts {@code job} when it is a transition into COMPLETED or FAILED: a new terminal state, or
     * the same one reached again under another fencing token (an operator retry that finished
     * again). Called for every decided or replayed JOB record, before it is applied, never for
     * snapshot records (their totals come from the snapshot's TOTALS records), so every process
     * replaying the same journal arrives at the same counts.
     */
    void countFinished(JobRecord previous, JobRecord job) {
        JobState s = job.state();
        if (s != JobState.COMPLETED && s != JobState.FAILED) {
            return;
        }
        if (previous != null && previous.state() == s && previous.token() == job.token()) {
            return; // the same finish written again (a TTL update)
        }
        FinishedTotals t = totals(job.queue());
        finishedTotals.put(job.queue(), s == JobState.COMPLETED
                ? new FinishedTotals(t.completed() + 1, t.failed())
                : new FinishedTotals(t.completed(), t.failed() + 1));
    }

    FinishedTotals totals(String queue) {
        return finishedTotals.getOrDefault(queue, FinishedTotals.NONE);
    }

    /** Restores a queue's totals from a snapshot. */
    void restoreTotals(String queue, FinishedTotals totals) {
        finishedTotals.put(queue, totals);
    }

    /** Queues with a live job or the pause flag, sorted: one look at each queue's state sets. */
    List<String> queueNames(Instant now) {
        TreeSet<String> names = new TreeSet<>();
        queues.forEach((name, q) -> {
            if (q.isPaused() || q.hasLiveJobs(now)) {
                names.add(name);
            }
        });
        return List.copyOf(names);
    }

    void restoreCounters(long seq, long token) {
        lastSeq = Math.max(lastSeq, seq);
        lastToken = Math.max(lastToken, token);
    }

    long nextSeq() {
        return ++lastSeq;
    }

    long nextToken() {
        return ++lastToken;
    }

    long lastSeq() {
        return lastSeq;
    }

    long lastToken() {
        return lastToken;
    }

    void sweepExpired(Instant now) {
        for (Iterator<QueueIndex> it = queues.values().iterator(); it.hasNext(); ) {
            QueueIndex q = it.next();
            q.sweepExpired(now);
            if (q.isEmpty()) {
                it.remove();
            }
        }
    }

    /** How many queues the index holds (for tests: nothing is kept for a queue that holds nothing). */
    int queueCount() {
        return queues.size();
    }

    /** Copies the references of every job and lock (cheap next to encoding and writing them). */
    StateImage image() {
        List<JobRecord> jobs = new ArrayList<>();
        List<LockRecord> locks = new ArrayList<>();
        List<String> paused = new ArrayList<>();
        Map<String, QueueLimits> limits = new HashMap<>();
        Map<String, Instant> throttles = new HashMap<>();
        List<StateImage.QueueSchedule> schedules = new ArrayList<>();
        forEachJob(jobs::add);
        forEachLock(locks::add);
        queues.forEach((name, q) -> {
            if (q.isPaused()) {
                paused.add(name);
            }
            if (!q.limits().isUnlimited()) {
                limits.put(name, q.limits());
            }
            if (q.throttledUntil() != null) {
                throttles.put(name, q.throttledUntil());
            }
            q.schedules().forEach(s -> schedules.add(new StateImage.QueueSchedule(name, s)));
        });
        return new StateImage(jobs, locks, paused, Map.copyOf(finishedTotals), lastSeq, lastToken, limits, throttles,
                schedules);
    }

    void forEachJob(Consumer<JobRecord> action) {
        queues.values().forEach(q -> q.forEachJob(action));
    }

    void forEachLock(Consumer<LockRecord> action) {
        queues.values().forEach(q -> q.forEachLock(action));
    }
}
