package dev.jobqueue.internal;

import dev.jobqueue.AttemptTiming;
import dev.jobqueue.ExecutionOutcome;
import dev.jobqueue.JobError;
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
            failUndeserializable(job, e, timing(startedAt, startNanos, queueWait));
            return false;
        }
        ExecutionOutcome<R> outcome;
        try {
            outcome = ExecutionOutcome.success(handle(job));
        } catch (Throwable t) { // an Error from a handler is a failed attempt, not a dead worker
            outcome = ExecutionOutcome.failure(t, job.attempt() < job.maxAttempts());
        }
        AttemptTiming timing = timing(startedAt, startNanos, queueWait);
        if (!job.trySettle()) {
            return false; // a forced shutdown already handed the job back
        }
        return record(job, applyHook(job, outcome.withTiming(timing)), timing);
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
            recordFailure(job, outcome.failure(), ttl, timing);
            return false;
        }
        byte[] bytes;
        try {
            bytes = s.resultSerde().serialize(outcome.result());
        } catch (RuntimeException e) {
            recordFailure(job, e, ttl, timing);
            return false;
        }
        completions.add(job, outcome.result(), bytes, ttl, timing);
        return true;
    }

    void recordFailure(RunningJob<P> job, Throwable failure, Duration ttl, AttemptTiming timing) {
        JobError error = JobError.of(failure, job.attempt(), s.clock().instant());
        if (job.attempt() < job.maxAttempts()) {
            Duration delay = s.backoff().delayFor(job.attempt());
            TransitionOutcome t = withRetries(job, "retry", () -> s.storage().retry(s.name(), job.lease(), delay, error));
            if (t == TransitionOutcome.APPLIED) {
                s.logger().info("job {} attempt {}/{} failed ({}); retrying in {}", job.id(), job.attempt(),
                        job.maxAttempts(), failure.toString(), delay);
                s.listener().failing(job.id(), job.attempt(), delay, error, timing);
            } else if (t == TransitionOutcome.LEASE_LOST) {
                reportLeaseLost(s, job, "retry");
            }
        } else {
            recordFail(job, error, ttl, failure, timing);
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
        recordFail(job, error, null, e, timing);
    }

    private void recordFail(RunningJob<P> job, JobError error, Duration ttl, Throwable cause, AttemptTiming timing) {
        long mark = localOutcomes.mark();
        TransitionOutcome t = withRetries(job, "fail", () -> s.storage().fail(s.name(), job.lease(), error, ttl));
        if (t == TransitionOutcome.APPLIED) {
            s.logger().warn("job {} failed after {} attempt(s): {}", job.id(), job.attempt(), cause.toString());
            s.listener().failed(job.id(), job.attempt(), error, timing);
            localOutcomes.failed(job.id(), error, mark);
        } else if (t == TransitionOutcome.LEASE_LOST) {
            reportLeaseLost(s, job, "fail");
        }
    }

    static void reportLeaseLost(QueueSettings<?, ?> s, RunningJob<?> job, String action) {
        if (job.markLeaseLost()) {
            s.logger().warn("lost the lease of job {} (token {}); its {} was not applied, the newer attempt stands",
                    job.id(), job.fencingToken(), action);
            s.listener().leaseLost(job.id(), job.fencingToken());
        }
    }

    /** Null when given up (interrupted by a forced shutdown; the lease will expire and the job be reaped). */
    private TransitionOutcome withRetries(RunningJob<P> job, String action, Supplier<TransitionOutcome> call) {
        return StorageRetries.call(s, action + " of job " + job.id(), Integer.MAX_VALUE, call);
    }
}
