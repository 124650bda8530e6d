package dev.jobqueue.file;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one batch of the storage loop changed that someone outside the loop must hear about once
 * the batch is durable: jobs that reached a terminal state (for subscribers) and, per queue, how
 * many jobs became ready or scheduled (to wake that many waiting claimers).
 */
final class BatchEffects {
    final List<JobRecord> terminal = new ArrayList<>();
    final Map<String, Integer> newWork = new HashMap<>();
    /** The index was rebuilt from disk: notifications may have been missed. */
    boolean reloaded;

    /** Records the effects of {@code job} replacing {@code previous} (null when new). */
    void observe(JobRecord previous, JobRecord job) {
        switch (job.state()) {
            case QUEUED, DELAYED, FAILING -> newWork.merge(job.queue(), 1, Integer::sum);
            case COMPLETED, FAILED, CANCELLED -> {
                if (previous == null || !previous.state().isTerminal()) {
                    terminal.add(job);
                }
            }
            case PROCESSING -> {
                // a claim makes no new work
            }
        }
    }

    boolean isEmpty() {
        return terminal.isEmpty() && newWork.isEmpty() && !reloaded;
    }

    void clear() {
        terminal.clear();
        newWork.clear();
        reloaded = false;
    }
}
