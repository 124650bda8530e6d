package dev.jobqueue.internal;

import dev.jobqueue.AttemptTiming;
import dev.jobqueue.BackOffException;
import dev.jobqueue.Backoff;
import dev.jobqueue.ExecutionOutcome;
import dev.jobqueue.ExecutionTimeoutException;
import dev.jobqueue.JobError;
import dev.jobqueue.JobState;
import dev.jobqueue.SnoozeException;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.TransitionOutcome;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Runs one attempt on the calling (handler) thread and records its outcome: deserialize the
 * payload, call the handler inside the queue's {@link Interceptors}, apply the after-execution
 * hook, then retry or fail the job under its fencing token, or hand a success to the
 * {@link CompletionBatcher}. Storage errors while recording are retried with a bounded backoff
 * until they succeed or the thread is interrupted (forced shutdown). The attempt's
 * {@link AttemptTiming} goes to the hook and to the listener events.
 */
final class AttemptRunner<P, R> {
    private final QueueSettings<P, R> s;
    private final LocalOutcomes<R> localOutcomes;
    private final CompletionBatcher<P, R> completions;
    /** An unresponsive handler's failure is recorded on the watchdog thread: never block it for long. */
    private static final int UNRESPONSIVE_RECORD_TRIES = 3;

    AttemptRunner(QueueSettings<P, R> settings, LocalOutcomes<R> localOutcomes, CompletionBatcher<P, R> completions) {
        this.s = settings;
        this.localOutcomes = localOutcomes;
        this.completions = completions;
    }

    /**
     * Runs the attempt; true when its outcome went to the {@link CompletionBatcher} (the job stays
     * in flight until the batcher stores it), false when it was recorded here or abandoned.
     */
    boolean run(RunningJob<P> job) {
        Duration queueWait = queueWait(job.claim());
        s.listener().started(job.id(), job.attempt(), queueWait);
        Instant startedAt = s.clock().instant();
        long startNanos = System.nanoTime();
        try {
            job.payload(s.payloadSerde().deserialize(job.claim().payload()));
        } catch (RuntimeException e) {
            job.handlerReturned();
            failUndeserializable(job, e, timing(startedAt, startNanos, queueWait));
            return false;
        }
        R result = null;
        Throwable thrown = null;
        try {
            result = handle(job);
        } catch (Throwable t) { // an Error from a handler is a failed attempt, not a dead worker
            thrown = t;
        }
        Duration timedOut = job.handlerReturned();
        AttemptTiming timing = timing(startedAt, startNanos, queueWait);
        if (job.isCancelledRunning()) {
            // Cancelled while running: the storage holds the job CANCELLED and would answer
            // LEASE_LOST; the cancellation was reported when it was noticed.
            if (job.trySettle() && s.logger().isDebugEnabled()) {
                s.logger().debug("job {} attempt {} was cancelled while running; its outcome is discarded", job.id(),
                        job.attempt());
            }
            return false;
        }
        ExecutionOutcome<R> outcome;
        if (timedOut != null) {
            ExecutionTimeoutException e = new ExecutionTimeoutException(job.id(), job.attempt(), timedOut);
            if (thrown != null) {
                e.addSuppressed(thrown);
            }
            outcome = ExecutionOutcome.failure(e, willRetry(job, e));
        } else if (thrown == null) {
            outcome = ExecutionOutcome.success(result);
        } else if (thrown instanceof SnoozeException || thrown instanceof BackOffException) {
            if (job.trySettle()) {
                snooze(job, thrown);
            }
            return false;
        } else {
            outcome = ExecutionOutcome.failure(thrown, willRetry(job, thrown));
        }
        if (!job.trySettle()) {
            return false; // a forced shutdown already handed the job back, or the timeout grace ran out
        }
        return record(job, applyHook(job, outcome.withTiming(timing)), timing);
    }

    /** Attempts left and the retry policy allows it; a throwing retryIf predicate counts as "retry". */
    boolean willRetry(RunningJob<P> job, Throwable failure) {
        if (job.attempt() >= job.maxAttempts()) {
            return false;
        }
        try {
            return s.retryPolicy().retryable(failure);
        } catch (RuntimeException | LinkageError | AssertionError e) {
            s.logger().warn("retryIf predicate of queue {} threw for job {}; retrying", s.name(), job.id(), e);
            s.listener().error(e);
            return true;
        }
    }

    /** SnoozeException / BackOffException: DELAYED again without using the attempt. */
    private void snooze(RunningJob<P> job, Throwable signal) {
        boolean backOff = signal instanceof BackOffException;
        Duration delay = backOff ? ((BackOffException) signal).duration() : ((SnoozeException) signal).delay();
        if (backOff) {
            try {
                Instant until = s.storage().throttle(s.name(), delay);
                s.logger().info("job {} asked queue {} to back off for {}; no claims until {}", job.id(), s.name(),
                        delay, until);
            } catch (RuntimeException e) { // the job is still snoozed; only the queue-wide pause is missing
                s.logger().warn("throttle of queue {} for {} failed", s.name(), delay, e);
                s.listener().error(e);
            }
        }
        TransitionOutcome t = withRetries(job, "snooze", () -> s.storage().snooze(s.name(), job.lease(), delay));
        if (t == TransitionOutcome.APPLIED) {
            if (s.logger().isDebugEnabled()) {
                s.logger().debug("job {} attempt {} snoozed for {}", job.id(), job.attempt(), delay);
            }
            s.listener().snoozed(job.id(), job.attempt(), delay, backOff);
        } else if (t == TransitionOutcome.LEASE_LOST) {
            reportLeaseLost(s, job, "snooze");
        }
    }

    /**
     * The timeout grace ran out and the handler has not returned: records the TIMEOUT failure now
     * (on the watchdog thread, with a few tries only: if the storage is down the lease, no longer
     * extended, expires and a reaper requeues the job). The handler's late outcome is discarded.
     */
    void recordUnresponsive(RunningJob<P> job, Duration timeout, Instant startedAt, long startNanos) {
        if (job.hasReturned() || job.isCancelledRunning() || !job.trySettle()) {
            return;
        }
        AttemptTiming timing = timing(startedAt, startNanos, queueWait(job.claim()));
        s.logger().warn("job {} attempt {}: handler did not return within timeoutGrace {} after its timeout of {} "
                        + "interrupted it; recording the TIMEOUT failure now and no longer extending its lease; its "
                        + "worker slot stays taken until the thread returns", job.id(), job.attempt(), s.timeoutGrace(),
                timeout);
        s.listener().handlerUnresponsive(job.id(), job.attempt(), timing.duration());
        ExecutionTimeoutException e = new ExecutionTimeoutException(job.id(), job.attempt(), timeout);
        recordFailure(job, e, null, timing, willRetry(job, e), UNRESPONSIVE_RECORD_TRIES);
    }

    @SuppressWarnings("unchecked") // the chain hands back what the handler (an R producer) returned
    private R handle(RunningJob<P> job) throws Exception {
        return (R) s.interceptors().aroundAttempt(s.name(), job, () -> s.handler().handle(job));
    }

    /** How long the job was claimable before this claim, on the storage's clock (never negative). */
    private static Duration queueWait(ClaimedJob claim) {
        Duration wait = Duration.between(claim.readyAt(), claim.claimedAt());
        return wait.isNegative() ? Duration.ZERO : wait;
    }

    /** finishedAt is startedAt plus the monotonic duration, so the two agree even if the wall clock steps. */
    private static AttemptTiming timing(Instant startedAt, long startNanos, Duration queueWait) {
        Duration duration = Duration.ofNanos(Math.max(0, System.nanoTime() - startNanos));
        return new AttemptTiming(startedAt, startedAt.plus(duration), duration, queueWait);
    }

    private ExecutionOutcome<R> applyHook(RunningJob<P> job, ExecutionOutcome<R> outcome) {
        if (s.afterExecution() == null) {
            return outcome;
        }
        try {
            ExecutionOutcome<R> replaced = s.afterExecution().afterExecution(job, outcome);
            if (replaced == null || replaced.succeeded() != outcome.succeeded()) {
                throw new IllegalStateException("afterExecution must return the outcome it was given or a with...() copy");
            }
            return replaced;
        } catch (Exception | LinkageError | AssertionError e) {
            s.logger().warn("afterExecution hook failed for job {}; storing the original outcome", job.id(), e);
            s.listener().error(e);
            return outcome;
        }
    }

    private boolean record(RunningJob<P> job, ExecutionOutcome<R> outcome, AttemptTiming timing) {
        Duration ttl = outcome.resultTtl().orElse(null);
        if (!outcome.succeeded()) {
            recordFailure(job, outcome.failure(), ttl, timing, outcome.willRetry(), Integer.MAX_VALUE);
            return false;
        }
        byte[] bytes;
        try {
            bytes = s.resultSerde().serialize(outcome.result());
        } catch (RuntimeException e) {
            recordFailure(job, e, ttl, timing, willRetry(job, e), Integer.MAX_VALUE);
            return false;
        }
        completions.add(job, outcome.result(), bytes, ttl, timing);
        return true;
    }

    /** Records a failed attempt: retried under the job's backoff when the retry policy and attempts allow, else failed. */
    void recordFailure(RunningJob<P> job, Throwable failure, Duration ttl, AttemptTiming timing) {
        recordFailure(job, failure, ttl, timing, willRetry(job, failure), Integer.MAX_VALUE);
    }

    private void recordFailure(RunningJob<P> job, Throwable failure, Duration ttl, AttemptTiming timing, boolean retry,
                               int tries) {
        JobError error = JobError.of(failure, job.attempt(), s.clock().instant());
        if (retry) {
            Backoff backoff = ReservedMetadata.backoffOf(job.metadata(), s.backoff(), job.id(), s.logger());
            Duration delay = backoff.delayFor(job.attempt());
            TransitionOutcome t = StorageRetries.call(s, "retry of job " + job.id(), tries,
                    () -> s.storage().retry(s.name(), job.lease(), delay, error));
            if (t == TransitionOutcome.APPLIED) {
                s.logger().info("job {} attempt {}/{} failed ({}); retrying in {}", job.id(), job.attempt(),
                        job.maxAttempts(), failure.toString(), delay);
                s.listener().failing(job.id(), job.attempt(), delay, error, timing);
            } else if (t == TransitionOutcome.LEASE_LOST) {
                reportLeaseLost(s, job, "retry");
            }
        } else {
            recordFail(job, error, ttl, failure, timing, tries);
        }
    }

    void failUndeserializable(RunningJob<P> job, RuntimeException e, AttemptTiming timing) {
        if (!job.trySettle()) {
            return;
        }
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        JobError error = new JobError(JobError.DESERIALIZATION_TYPE,
                "payload cannot be deserialized by " + s.payloadSerde() + ": " + e.getMessage(),
                trace.toString(), null, job.attempt(), s.clock().instant());
        recordFail(job, error, null, e, timing, Integer.MAX_VALUE);
    }

    private void recordFail(RunningJob<P> job, JobError error, Duration ttl, Throwable cause, AttemptTiming timing,
                            int tries) {
        long mark = localOutcomes.mark();
        TransitionOutcome t = StorageRetries.call(s, "fail of job " + job.id(), tries,
                () -> s.storage().fail(s.name(), job.lease(), error, ttl));
        if (t == TransitionOutcome.APPLIED) {
            if (job.attempt() < job.maxAttempts()) {
                s.logger().warn("job {} failed at attempt {} (not retryable): {}", job.id(), job.attempt(), cause.toString());
            } else {
                s.logger().warn("job {} failed after {} attempt(s): {}", job.id(), job.attempt(), cause.toString());
            }
            s.listener().failed(job.id(), job.attempt(), error, timing);
            localOutcomes.failed(job.id(), error, mark);
        } else if (t == TransitionOutcome.LEASE_LOST) {
            reportLeaseLost(s, job, "fail");
        }
    }

    /**
     * The storage rejected {@code action} (or a lease extension) of the job's claim. When the job
     * was cancelled while running (known already, or its status says so) that is reported as a
     * cancellation at INFO; else as a lost lease (reaped from under us, or taken over) at WARN. In
     * both cases a handler still running is interrupted.
     */
    static void reportLeaseLost(QueueSettings<?, ?> s, RunningJob<?> job, String action) {
        if (job.isCancelledRunning() || cancelledInStorage(s, job)) {
            reportCancelled(s, job);
            return;
        }
        job.interruptRunning(false);
        if (job.markLeaseLost()) {
            s.logger().warn("lost the lease of job {} (token {}); its {} was not applied, the newer attempt stands",
                    job.id(), job.fencingToken(), action);
            s.listener().leaseLost(job.id(), job.fencingToken());
        }
    }

    /** The job was cancelled while this worker ran it: interrupt the handler, report it once. */
    static void reportCancelled(QueueSettings<?, ?> s, RunningJob<?> job) {
        job.interruptRunning(true);
        if (job.markLeaseLost()) {
            s.logger().info("job {} was cancelled while running (attempt {}); its handler is interrupted and its "
                    + "outcome will not be recorded", job.id(), job.attempt());
            s.listener().runningJobCancelled(job.id(), job.attempt());
        }
    }

    private static boolean cancelledInStorage(QueueSettings<?, ?> s, RunningJob<?> job) {
        try {
            return s.storage().status(s.name(), job.id()).map(r -> r.state() == JobState.CANCELLED).orElse(false);
        } catch (RuntimeException e) {
            return false; // then it is reported as a lost lease, which it also is
        }
    }

    /** Null when given up (interrupted by a forced shutdown; the lease will expire and the job be reaped). */
    private TransitionOutcome withRetries(RunningJob<P> job, String action, Supplier<TransitionOutcome> call) {
        return StorageRetries.call(s, action + " of job " + job.id(), Integer.MAX_VALUE, call);
    }

    /**
     * Hands a claimed job back: QUEUED again at once. A job whose handler never {@code started}
     * gets its attempt back (unclaim); a started one keeps it counted (release).
     */
    void handBack(RunningJob<P> job, boolean started, int tries) {
        TransitionOutcome t = StorageRetries.call(s, "release of job " + job.id(), tries,
                () -> started ? s.storage().release(s.name(), job.lease()) : s.storage().unclaim(s.name(), job.lease()));
        if (t == TransitionOutcome.APPLIED) {
            s.logger().info("handed job {} back to queue {}", job.id(), s.name());
            s.listener().requeued(job.id());
        }
    }
}
