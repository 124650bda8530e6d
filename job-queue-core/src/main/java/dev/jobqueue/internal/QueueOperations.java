package dev.jobqueue.internal;

import dev.jobqueue.DeleteResult;
import dev.jobqueue.JobInfo;
import dev.jobqueue.JobPage;
import dev.jobqueue.JobState;
import dev.jobqueue.JobStatus;
import dev.jobqueue.ListOrder;
import dev.jobqueue.PromoteResult;
import dev.jobqueue.RetryResult;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.SnapshotPage;
import dev.jobqueue.spi.Storage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntUnaryOperator;

/**
 * The operator side of a queue (list, inspect, retry, delete, purge, promote, pause) over its
 * storage, with snapshots turned into typed views. Arguments are checked by {@code Queue} (and
 * again by {@code CheckedStorage}); this class holds what the operations do.
 */
public final class QueueOperations<P, R> {
    /** Jobs per storage call of {@link #retryAll}: each retry wakes claimers, so keep pages modest. */
    static final int RETRY_PAGE = 100;
    /** Jobs per storage call of {@link #purge}: one Redis script or journal record per page. */
    static final int PURGE_PAGE = 500;

    private final QueueSettings<P, R> s;
    private final SnapshotViews<P, R> views;

    public QueueOperations(QueueSettings<P, R> settings) {
        this.s = settings;
        this.views = new SnapshotViews<>(settings.payloadSerde(), settings.resultSerde());
    }

    private Storage storage() {
        return s.storage();
    }

    public Optional<JobStatus<R>> status(String id) {
        return storage().status(s.name(), id).map(views::status);
    }

    public Optional<JobInfo<P, R>> inspect(String id) {
        return storage().status(s.name(), id).map(views::info);
    }

    public JobPage<P, R> list(JobState state, ListOrder order, String cursor, int limit) {
        SnapshotPage page = storage().listJobs(s.name(), state, order, cursor, limit);
        List<JobInfo<P, R>> jobs = new ArrayList<>(page.jobs().size());
        for (JobSnapshot snapshot : page.jobs()) {
            jobs.add(views.info(snapshot));
        }
        return new JobPage<>(jobs, page.nextCursor());
    }

    public RetryResult retry(String id) {
        RetryResult r = storage().retryJob(s.name(), id);
        if (r == RetryResult.RETRIED) {
            s.logger().info("job {} of queue {} retried by an operator: QUEUED with a fresh attempt budget", id, s.name());
        }
        return r;
    }

    public long retryAll(JobState state) {
        long n = inPages(state, RETRY_PAGE, limit -> storage().retryAll(s.name(), state, limit));
        s.logger().info("retried {} {} job(s) of queue {}", n, state, s.name());
        return n;
    }

    public DeleteResult delete(String id) {
        DeleteResult r = storage().deleteJob(s.name(), id);
        if (r == DeleteResult.DELETED) {
            s.logger().info("job {} of queue {} deleted by an operator", id, s.name());
        }
        return r;
    }

    public long purge(JobState state) {
        long n = inPages(state, PURGE_PAGE, limit -> storage().purge(s.name(), state, limit));
        s.logger().info("purged {} {} job(s) of queue {}", n, state, s.name());
        return n;
    }

    public PromoteResult promote(String id) {
        return storage().promote(s.name(), id);
    }

    /** Pauses (true) or resumes (false) the queue for every process; true when the flag changed. */
    public boolean setPaused(boolean paused) {
        boolean changed = storage().setPaused(s.name(), paused);
        if (changed) {
            s.logger().info("queue {} {}", s.name(), paused ? "paused: workers claim nothing until it is resumed"
                    : "resumed");
        }
        return changed;
    }

    public boolean isPaused() {
        return storage().isPaused(s.name());
    }

    /**
     * Calls {@code page} with up to {@code pageSize} jobs at a time until it returns 0, the calling
     * thread is interrupted, or as many jobs as the state held at the start were done: jobs that
     * re-enter the state meanwhile (a retried job failing again at once) are not taken round and
     * round. Returns how many were done; an interrupt stays set for the caller to see.
     */
    private long inPages(JobState state, int pageSize, IntUnaryOperator page) {
        long atStart = storage().counts(s.name()).getOrDefault(state, 0L);
        long done = 0;
        while (done < atStart && !Thread.currentThread().isInterrupted()) {
            int n = page.applyAsInt((int) Math.min(pageSize, atStart - done));
            if (n == 0) {
                break;
            }
            done += n;
        }
        return done;
    }
}
