package dev.jobqueue.internal;

import dev.jobqueue.AttemptTiming;
import dev.jobqueue.spi.Completion;
import dev.jobqueue.spi.TransitionOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Records successful attempts in batches with {@link dev.jobqueue.spi.Storage#completeAll}, so a
 * handler does not wait for a storage round trip per job. A handler adds its completion and
 * calls {@link #flush()}: if no flush is under way it becomes the flusher and stores everything
 * pending (its own completion and those that arrived meanwhile), else it returns at once and the
 * running flusher picks the completion up. A lone job therefore pays one call and no thread
 * hand-off; under load one call records many jobs.
 *
 * <p>A job stays in flight (leased, counted against the claim budget) until its completion is
 * stored; only then are listeners and local waiters told, so no outcome is reported that a crash
 * could still lose.
 */
final class CompletionBatcher<P, R> {
    private static final int MAX_BATCH = 512;

    /** A finished attempt waiting to be stored. */
    record PendingCompletion<P, R>(RunningJob<P> job, R result, Completion completion, AttemptTiming timing) {
    }

    private final QueueSettings<P, R> s;
    private final LocalOutcomes<R> localOutcomes;
    /** Called once per job when its completion is no longer pending (stored, lost, or given up). */
    private final Consumer<RunningJob<P>> settled;
    private final ConcurrentLinkedQueue<PendingCompletion<P, R>> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushing = new AtomicBoolean();

    CompletionBatcher(QueueSettings<P, R> settings, LocalOutcomes<R> localOutcomes, Consumer<RunningJob<P>> settled) {
        this.s = settings;
        this.localOutcomes = localOutcomes;
        this.settled = settled;
    }

    void add(RunningJob<P> job, R result, byte[] bytes, Duration resultTtl, AttemptTiming timing) {
        pending.add(new PendingCompletion<>(job, result, new Completion(job.lease(), bytes, resultTtl), timing));
    }

    /**
     * Stores what is pending unless another thread is doing so. Storage errors are retried with a
     * bounded backoff; an interrupt stops the retries and leaves the batch pending for
     * {@link #drainOnStop}.
     */
    void flush() {
        // Whoever releases the flag re-checks the queue, so a completion added during a flush is
        // never stranded.
        while (!pending.isEmpty() && flushing.compareAndSet(false, true)) {
            try {
                if (!flushOnce(Integer.MAX_VALUE)) {
                    return;
                }
            } finally {
                flushing.set(false);
            }
        }
    }

    /**
     * On stop, after the handlers ended (or were given up on): stores what is still pending,
     * trying each batch {@code tries} times, waiting at most until {@code deadlineNanos} for a
     * handler that is still flushing. What cannot be stored is given up: its lease expires and a
     * reaper requeues the job (at-least-once).
     */
    void drainOnStop(int tries, long deadlineNanos) throws InterruptedException {
        while (!pending.isEmpty()) {
            if (!flushing.compareAndSet(false, true)) {
                if (System.nanoTime() - deadlineNanos > 0) {
                    s.logger().warn("a handler of queue {} is still storing completions; stop leaves them to it",
                            s.name());
                    return;
                }
                Thread.sleep(1);
                continue;
            }
            try {
                if (!flushOnce(tries)) {
                    List<PendingCompletion<P, R>> rest = takeBatch(Integer.MAX_VALUE);
                    s.logger().warn("gave up storing {} completion(s) of queue {}; their leases will expire and a "
                            + "reaper requeues the jobs", rest.size(), s.name());
                    rest.forEach(p -> settled.accept(p.job()));
                    return;
                }
            } finally {
                flushing.set(false);
            }
        }
    }

    /** One batch, retried up to {@code tries}; false when given up (batch put back). */
    private boolean flushOnce(int tries) {
        List<PendingCompletion<P, R>> batch = takeBatch(MAX_BATCH);
        if (batch.isEmpty()) {
            return true;
        }
        List<Completion> completions = new ArrayList<>(batch.size());
        for (PendingCompletion<P, R> p : batch) {
            completions.add(p.completion());
        }
        long mark = localOutcomes.mark();
        List<TransitionOutcome> outcomes = StorageRetries.call(s, "completeAll of " + batch.size() + " job(s)", tries,
                () -> s.storage().completeAll(s.name(), completions));
        if (outcomes == null) {
            pending.addAll(batch); // drainOnStop tries once more, then gives up
            return false;
        }
        report(batch, outcomes, mark);
        return true;
    }

    private void report(List<PendingCompletion<P, R>> batch, List<TransitionOutcome> outcomes, long mark) {
        for (int i = 0; i < batch.size(); i++) {
            PendingCompletion<P, R> p = batch.get(i);
            TransitionOutcome t = outcomes.get(i);
            RunningJob<P> job = p.job();
            if (t == TransitionOutcome.APPLIED) {
                if (s.logger().isDebugEnabled()) {
                    s.logger().debug("job {} completed (attempt {})", job.id(), job.attempt());
                }
                s.listener().completed(job.id(), job.attempt(), p.timing());
                localOutcomes.completed(job.id(), p.result(), mark);
            } else if (t == TransitionOutcome.LEASE_LOST) {
                AttemptRunner.reportLeaseLost(s, job, "complete");
            }
            settled.accept(job);
        }
    }

    private List<PendingCompletion<P, R>> takeBatch(int max) {
        List<PendingCompletion<P, R>> batch = new ArrayList<>(Math.min(max, 64));
        PendingCompletion<P, R> p;
        while (batch.size() < max && (p = pending.poll()) != null) {
            batch.add(p);
        }
        return batch;
    }
}
