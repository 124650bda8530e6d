package dev.jobqueue.internal;

import dev.jobqueue.JobCancelledException;
import dev.jobqueue.JobError;
import dev.jobqueue.JobFailedException;
import dev.jobqueue.JobState;
import dev.jobqueue.JobTimeoutException;
import dev.jobqueue.Serde;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.Storage;
import dev.jobqueue.spi.Subscription;
import dev.jobqueue.spi.TerminalListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Callers waiting for the outcome of jobs of one queue (enqueueAndWait / submit). One shared
 * storage subscription per queue, opened lazily with the first waiter, dispatches terminal
 * notifications to waiters by job id; after a (re)subscribe every waited job's status is
 * re-read, so a lost notification cannot hang a caller. A waiter is removed as soon as its future
 * completes (result, failure, timeout or caller cancellation), so nothing accumulates.
 *
 * <p>A deleted job (an operator's {@code delete}/{@code purge}) is announced like a cancellation
 * and then has no record. Its waiters end with {@link JobCancelledException} once their own
 * enqueue is known to have been stored ({@link #stored}): before that, an empty status may only
 * mean that their enqueue has not landed yet (a newer job with the same id), so the status is
 * read again when it has.
 */
public final class Waiters<R> implements TerminalListener, LocalOutcomes<R> {
    /** One JVM-wide timer for wait timeouts; cancelled timeouts are removed at once. */
    private static final ScheduledThreadPoolExecutor TIMEOUTS = newTimer();
    /** Status re-reads happen off the storage's notification thread, which must not block. */
    private static final ExecutorService RECHECKS = new ThreadPoolExecutor(0, 4, 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), new NamedThreads("jobqueue-waiter-recheck"));

    /** The first pause before a failed status re-check is tried again; it doubles up to 2^(steps-1) times that. */
    private static final Duration RECHECK_FIRST_DELAY = Duration.ofMillis(100);
    private static final int RECHECK_BACKOFF_STEPS = 5;

    /** How much longer than its timeout a caller may wait for the status its timeout message reports. */
    private static final Duration STATUS_AT_TIMEOUT = Duration.ofMillis(500);

    private final Storage storage;
    private final String queue;
    private final Serde<R> resultSerde;
    private final Logger logger;
    private final Map<String, Set<Waiter<R>>> byJobId = new ConcurrentHashMap<>();
    private final AtomicLong registrations = new AtomicLong();
    private Subscription subscription; // guarded by this

    public Waiters(Storage storage, String queue, Serde<R> resultSerde, Logger logger) {
        this.storage = storage;
        this.queue = queue;
        this.resultSerde = resultSerde;
        this.logger = logger;
    }

    /** One waiting caller; {@code seq} orders registrations (see {@link LocalOutcomes#mark()}). */
    private static final class Waiter<R> {
        final CompletableFuture<R> future;
        final long seq;
        /** The caller's enqueue was stored (created, or found the job waiting): the job had a record since. */
        volatile boolean stored;
        /** A cancellation notice found no record before the enqueue was stored: look again once it is. */
        volatile boolean recheckWhenStored;

        Waiter(CompletableFuture<R> future, long seq) {
            this.future = future;
            this.seq = seq;
        }

        CompletableFuture<R> future() {
            return future;
        }

        long seq() {
            return seq;
        }
    }

    /** The worker's listener for cancellations of running jobs, sharing this subscription; or null. */
    private volatile TerminalListener sharedWith;

    private static ScheduledThreadPoolExecutor newTimer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, new NamedThreads("jobqueue-wait-timeouts"));
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /**
     * Registers a waiter for {@code jobId}, subscribing first if needed. Call BEFORE enqueueing.
     * The timeout counts from this call, including a first subscribe that waits for the storage.
     */
    public CompletableFuture<R> register(String jobId, Duration timeout) {
        long start = System.nanoTime();
        ensureSubscribed();
        CompletableFuture<R> future = new CompletableFuture<>();
        Waiter<R> waiter = new Waiter<>(future, registrations.incrementAndGet());
        // Added inside compute(): remove() drops an emptied set atomically, and a waiter added to a
        // set that was just dropped would never be told of its job's outcome.
        byJobId.compute(jobId, (id, set) -> {
            Set<Waiter<R>> waiters = set != null ? set : ConcurrentHashMap.newKeySet();
            waiters.add(waiter);
            return waiters;
        });
        long left = timeout.toNanos() - (System.nanoTime() - start);
        ScheduledFuture<?> timer = TIMEOUTS.schedule(() -> timedOut(jobId, waiter, timeout), left, TimeUnit.NANOSECONDS);
        future.whenComplete((r, e) -> {
            timer.cancel(false);
            remove(jobId, waiter);
        });
        return future;
    }

    /**
     * Fails the waiter with a message built from the job's state now (a job still QUEUED on a
     * queue nobody serves says so). The status read gets at most {@link #STATUS_AT_TIMEOUT}
     * (it runs off the timer thread), so a storage that does not answer delays the timeout by no more.
     */
    private void timedOut(String jobId, Waiter<R> waiter, Duration timeout) {
        remove(jobId, waiter); // before completing: a caller that sees the timeout sees no waiter left
        CompletableFuture<R> future = waiter.future();
        if (future.isDone()) {
            return;
        }
        CompletableFuture.supplyAsync(() -> storage.status(queue, jobId), RECHECKS)
                .completeOnTimeout(null, STATUS_AT_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)
                .whenComplete((status, error) -> future.completeExceptionally(new JobTimeoutException(jobId,
                        TimeoutMessage.of(queue, jobId, timeout, status, error, STATUS_AT_TIMEOUT))));
    }

    private void remove(String jobId, Waiter<R> waiter) {
        byJobId.computeIfPresent(jobId, (id, set) -> {
            set.remove(waiter);
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
        for (Set<Waiter<R>> set : byJobId.values()) {
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
                completed(jobId, result, Long.MAX_VALUE);
            }
            case FAILED -> failed(jobId, snapshot.error(), Long.MAX_VALUE);
            case CANCELLED -> failAll(jobId, new JobCancelledException(jobId));
            default -> {
                // still on its way: keep waiting for the notification
            }
        }
    }

    @Override
    public long mark() {
        return registrations.get();
    }

    @Override
    public void completed(String jobId, R result, long mark) {
        for (CompletableFuture<R> f : registeredUpTo(jobId, mark)) {
            f.complete(result);
        }
    }

    @Override
    public void failed(String jobId, JobError error, long mark) {
        failUpTo(jobId, new JobFailedException(jobId, error), mark);
    }

    private void failAll(String jobId, RuntimeException e) {
        failUpTo(jobId, e, Long.MAX_VALUE);
    }

    private void failUpTo(String jobId, RuntimeException e, long mark) {
        for (CompletableFuture<R> f : registeredUpTo(jobId, mark)) {
            f.completeExceptionally(e);
        }
    }

    /** Removes and returns the waiters of {@code jobId} registered up to {@code mark}. */
    private List<CompletableFuture<R>> registeredUpTo(String jobId, long mark) {
        Set<Waiter<R>> set = byJobId.get(jobId);
        if (set == null) {
            return Collections.emptyList(); // the common case (fire and forget): its iterator is shared, no garbage
        }
        List<CompletableFuture<R>> futures = new ArrayList<>(set.size());
        for (Waiter<R> w : set) {
            if (w.seq() <= mark) {
                remove(jobId, w);
                futures.add(w.future());
            }
        }
        return futures;
    }

    @Override
    public void shareNotices(TerminalListener listener) {
        sharedWith = listener;
        if (listener != null) {
            ensureSubscribed();
        }
    }

    @Override
    public void onTerminal(String jobId, JobSnapshot snapshot) {
        TerminalListener shared = sharedWith;
        if (shared != null) {
            try {
                shared.onTerminal(jobId, snapshot);
            } catch (RuntimeException e) {
                logger.warn("terminal notice of job {} failed in the worker", jobId, e);
            }
        }
        if (!byJobId.containsKey(jobId)) {
            return;
        }
        if (snapshot != null && snapshot.state() == JobState.COMPLETED) {
            resolve(jobId, snapshot);
        } else {
            // A cancelled or failed job may come back at once: a new job with the same id, or an
            // operator's retry. A caller that already waits for that newer run must not end with
            // the old outcome, whose notice can arrive late: read the status. Completed jobs
            // cannot be retried, and stay on the fast path.
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
        recheck(jobId, 0);
    }

    private void recheck(String jobId, int failures) {
        // Which waiters' enqueues were stored BEFORE the status read: for them, and only them, a
        // missing record means the job was deleted (for the others it may not have landed yet).
        Set<Waiter<R>> set = byJobId.get(jobId);
        if (set == null) {
            return;
        }
        List<Waiter<R>> storedBeforeRead = new ArrayList<>();
        for (Waiter<R> w : set) {
            if (w.stored) {
                storedBeforeRead.add(w);
            }
        }
        try {
            Optional<JobSnapshot> status = storage.status(queue, jobId);
            if (status.isPresent()) {
                resolve(jobId, status.get());
            } else {
                noRecord(jobId, storedBeforeRead);
            }
        } catch (RuntimeException e) {
            // The storage may be reconnecting (this re-check often follows a resubscribe): try again
            // later, while someone still waits; the caller's timeout bounds the wait.
            int next = Math.min(failures + 1, RECHECK_BACKOFF_STEPS);
            long delayMillis = RECHECK_FIRST_DELAY.toMillis() << (next - 1);
            logger.warn("status re-check of waited job {} failed; trying again in {} ms", jobId, delayMillis, e);
            TIMEOUTS.schedule(() -> {
                if (byJobId.containsKey(jobId)) {
                    RECHECKS.execute(() -> recheck(jobId, next));
                }
            }, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * The job had no record when its status was read: waiters whose enqueue was stored before the
     * read waited for a job that was deleted; the others are looked at again once their enqueue
     * is stored (at once, if it was stored while the status was read).
     */
    private void noRecord(String jobId, List<Waiter<R>> storedBeforeRead) {
        for (Waiter<R> w : storedBeforeRead) {
            w.future().completeExceptionally(new JobCancelledException(jobId));
        }
        Set<Waiter<R>> set = byJobId.get(jobId);
        if (set == null) {
            return;
        }
        for (Waiter<R> w : set) {
            if (w.future().isDone()) {
                continue;
            }
            w.recheckWhenStored = true;
            // Read after the write above; stored() writes its flag, then reads this one: at least
            // one of the two sees the other's write, so the stored enqueue is always looked at again.
            if (w.stored) {
                RECHECKS.execute(() -> recheck(jobId));
                return;
            }
        }
    }

    /**
     * The enqueue made by the caller waiting on {@code future} was stored and the job is not
     * finished yet. A cancellation notice that found no record before is followed up now.
     */
    public void stored(String jobId, CompletableFuture<R> future) {
        Set<Waiter<R>> set = byJobId.get(jobId);
        if (set == null) {
            return;
        }
        for (Waiter<R> w : set) {
            if (w.future() == future) {
                w.stored = true;
                if (w.recheckWhenStored) {
                    RECHECKS.execute(() -> recheck(jobId));
                }
            }
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
