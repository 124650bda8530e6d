package dev.jobqueue.file;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one batch of the storage loop changed that someone outside the loop must hear about once
 * the batch is durable: jobs that reached a terminal state (for subscribers), per queue how many
 * jobs became ready or scheduled or stopped running under a {@code maxRunning} limit (to wake
 * that many waiting claimers), and queues that were resumed or got new limits (to wake all their
 * claimers).
 */
final class BatchEffects {
    final List<JobRecord> terminal = new ArrayList<>();
    final Map<String, Integer> newWork = new HashMap<>();
    final Set<String> resumed = new HashSet<>();
    /** The index was rebuilt from disk: notifications may have been missed. */
    boolean reloaded;

    /**
     * Records the effects of {@code job} replacing {@code previous} (null when new). In a queue
     * with a {@code maxRunning} limit ({@code limited}), a job that stops running frees a slot, so
     * it wakes a claimer held back by the limit like new work does.
     */
    void observe(JobRecord previous, JobRecord job, boolean limited) {
        switch (job.state()) {
            case QUEUED, DELAYED, FAILING -> newWork.merge(job.queue(), 1, Integer::sum);
            case COMPLETED, FAILED, CANCELLED -> {
                if (previous == null || !previous.state().isTerminal()) {
                    terminal.add(job);
                }
                if (limited && previous != null && previous.state() == dev.jobqueue.JobState.PROCESSING) {
                    newWork.merge(job.queue(), 1, Integer::sum);
                }
            }
            case PROCESSING -> {
                // a claim makes no new work
            }
        }
    }

    /**
     * Records the deletion of {@code job} at {@code now}: a waiting job ends for whoever waits for
     * it, who hears of it as CANCELLED (they would otherwise wait for an outcome that never comes).
     */
    void observeDelete(JobRecord job, Instant now) {
        if (job.isWaiting()) {
            terminal.add(job.cancelled(null, now));
        }
    }

    /** Records that {@code queue}'s pause flag is now {@code paused}. */
    void observePause(String queue, boolean paused) {
        if (!paused) {
            resumed.add(queue);
        }
    }

    boolean isEmpty() {
        return terminal.isEmpty() && newWork.isEmpty() && resumed.isEmpty() && !reloaded;
    }

    void clear() {
        terminal.clear();
        newWork.clear();
        resumed.clear();
        reloaded = false;
    }
}
