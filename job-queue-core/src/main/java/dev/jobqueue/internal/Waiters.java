package dev.jobqueue.internal;

import dev.jobqueue.JobCancelledException;
import dev.jobqueue.JobError;
import dev.jobqueue.JobFailedException;
import dev.jobqueue.JobTimeoutException;
import dev.jobqueue.Serde;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.Storage;
import dev.jobqueue.spi.Subscription;
import dev.jobqueue.spi.TerminalListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * Callers waiting for the outcome of jobs of one queue (enqueueAndWait / submit). One shared
 * storage subscription per queue, opened lazily with the first waiter, dispatches terminal
 * notifications to waiters by job id; after a (re)subscribe every waited job's status is
 * re-read, so a lost notification cannot hang a caller. A waiter is removed as soon as its future
 * completes (result, failure, timeout or caller cancellation), so nothing accumulates.
 */
public final class Waiters<R> implements TerminalListener, LocalOutcomes<R> {
    /** One JVM-wide timer for wait timeouts; cancelled timeouts are removed at once. */
    private static final ScheduledThreadPoolExecutor TIMEOUTS = newTimer();
    /** Status re-reads happen off the storage's notification thread, which must not block. */
    private static final ExecutorService RECHECKS = new ThreadPoolExecutor(0, 4, 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), new NamedThreads("jobqueue-waiter-recheck"));

    private final Storage storage;
    private final String queue;
    private final Serde<R> resultSerde;
    private final Logger logger;
    private final Map<String, Set<CompletableFuture<R>>> byJobId = new ConcurrentHashMap<>();
    private Subscription subscription; // guarded by this

    public Waiters(Storage storage, String queue, Serde<R> resultSerde, Logger logger) {
        this.storage = storage;
        this.queue = queue;
        this.resultSerde = resultSerde;
        this.logger = logger;
    }

    private static ScheduledThreadPoolExecutor newTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, new NamedThreads("jobqueue-wait-timeouts"));
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** Registers a waiter for {@code jobId}, subscribing first if needed. Call BEFORE enqueueing. */
    public CompletableFuture<R> register(String jobId, Duration timeout) {
        ensureSubscribed();
        CompletableFuture<R> future = new CompletableFuture<>();
        byJobId.computeIfAbsent(jobId, id -> ConcurrentHashMap.newKeySet()).add(future);
        ScheduledFuture<?> timer = TIMEOUTS.schedule(
                () -> future.completeExceptionally(new JobTimeoutException(jobId, timeout)),
                timeout.toNanos(), TimeUnit.NANOSECONDS);
        future.whenComplete((r, e) -> {
            timer.cancel(false);
            remove(jobId, future);
        });
        return future;
    }

    private void remove(String jobId, CompletableFuture<R> future) {
        byJobId.computeIfPresent(jobId, (id, set) -> {
            set.remove(future);
            return set.isEmpty() ? null : set;
        });
    }

    private synchronized void ensureSubscribed() {
        if (subscription == null) {
            subscription = storage.subscribe(queue, this);
        }
    }

    /** Callers currently waiting (for inspection and leak tests). */
    public int size() {
        int n = 0;
        for (Set<CompletableFuture<R>> set : byJobId.values()) {
            n += set.size();
        }
        return n;
    }

    /**
     * Resolves the waiters of {@code jobId} from a record: COMPLETED, FAILED and CANCELLED end the
     * wait; other states leave it running.
     */
    public void resolve(String jobId, JobSnapshot snapshot) {
        switch (snapshot.state()) {
            case COMPLETED -> {
                R result;
                try {
                    result = resultSerde.deserialize(snapshot.result());
                } catch (RuntimeException e) {
                    failAll(jobId, e);
                    return;
                }
                completed(jobId, result);
            }
            case FAILED -> failed(jobId, snapshot.error());
            case CANCELLED -> failAll(jobId, new JobCancelledException(jobId));
            default -> {
                // still on its way: keep waiting for the notification
            }
        }
    }

    @Override
    public void completed(String jobId, R result) {
        for (CompletableFuture<R> f : take(jobId)) {
            f.complete(result);
        }
    }

    @Override
    public void failed(String jobId, JobError error) {
        failAll(jobId, new JobFailedException(jobId, error));
    }

    private void failAll(String jobId, RuntimeException e) {
        for (CompletableFuture<R> f : take(jobId)) {
            f.completeExceptionally(e);
        }
    }

    private List<CompletableFuture<R>> take(String jobId) {
        Set<CompletableFuture<R>> set = byJobId.get(jobId);
        return set == null ? List.of() : new ArrayList<>(set);
    }

    @Override
    public void onTerminal(String jobId, JobSnapshot snapshot) {
        if (!byJobId.containsKey(jobId)) {
            return;
        }
        if (snapshot != null) {
            resolve(jobId, snapshot);
        } else {
            RECHECKS.execute(() -> recheck(jobId));
        }
    }

    @Override
    public void onResubscribed() {
        for (String jobId : List.copyOf(byJobId.keySet())) {
            RECHECKS.execute(() -> recheck(jobId));
        }
    }

    private void recheck(String jobId) {
        try {
            storage.status(queue, jobId).ifPresent(snapshot -> resolve(jobId, snapshot));
        } catch (RuntimeException e) { // the caller's timeout still bounds the wait
            logger.warn("status re-check of waited job {} failed", jobId, e);
        }
    }

    /** Closes the subscription and fails callers still waiting: nobody would tell them anymore. */
    public void close() {
        Subscription s;
        synchronized (this) {
            s = subscription;
            subscription = null;
        }
        if (s != null) {
            s.close();
        }
        for (String jobId : List.copyOf(byJobId.keySet())) {
            failAll(jobId, new IllegalStateException("queue " + queue + " stopped while waiting for job " + jobId));
        }
    }
}
