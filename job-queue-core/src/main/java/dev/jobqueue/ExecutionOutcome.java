package dev.jobqueue;

import java.time.Duration;
import java.util.Optional;

/**
 * The outcome of one attempt as shown to an {@link AfterExecution} hook. Immutable: the hook
 * returns a changed copy. The runtime sets the attempt's {@link #timing()} on the outcome it hands
 * to the hook.
 *
 * <!-- snippet: execution-outcome -->
 * <pre>{@code
 * builder.afterExecution((job, outcome) -> outcome.withResultTtl(Duration.ofMinutes(10)));
 * }</pre>
 */
public final class ExecutionOutcome<R> {
    private final R result;
    private final Throwable failure;
    private final boolean willRetry;
    private final Duration resultTtl;
    private final AttemptTiming timing;

    private ExecutionOutcome(R result, Throwable failure, boolean willRetry, Duration resultTtl, AttemptTiming timing) {
        this.result = result;
        this.failure = failure;
        this.willRetry = willRetry;
        this.resultTtl = resultTtl;
        this.timing = timing;
    }

    /**
     * A successful attempt with the job's own result TTL.
     *
     * @param <R> the job's result type
     * @param result what the handler returned; may be {@code null}
     * @return the outcome
     */
    public static <R> ExecutionOutcome<R> success(R result) {
        return new ExecutionOutcome<>(result, null, false, null, null);
    }

    /**
     * A failed attempt; {@code willRetry} when attempts are left.
     *
     * @param <R> the job's result type
     * @param failure what the handler threw; not {@code null}
     * @param willRetry whether the job will be attempted again
     * @return the outcome
     */
    public static <R> ExecutionOutcome<R> failure(Throwable failure, boolean willRetry) {
        return new ExecutionOutcome<>(null, Arguments.notNull(failure, "failure"), willRetry, null, null);
    }

    /**
     * True when the handler returned.
     *
     * @return {@code true} for a success, {@code false} when the handler threw
     */
    public boolean succeeded() {
        return failure == null;
    }

    /**
     * The handler's result (may be {@code null}); {@code null} for a failure.
     *
     * @return the result to be stored
     */
    public R result() {
        return result;
    }

    /**
     * What the handler threw; {@code null} for a success.
     *
     * @return the handler's exception
     */
    public Throwable failure() {
        return failure;
    }

    /**
     * True for a failure that will be retried (attempts left); its TTL then does not apply yet.
     *
     * @return whether the job goes back to waiting for another attempt
     */
    public boolean willRetry() {
        return willRetry;
    }

    /**
     * The TTL to store the result or error with; empty means the job's own result TTL.
     *
     * @return the replaced TTL, if a hook set one
     */
    public Optional<Duration> resultTtl() {
        return Optional.ofNullable(resultTtl);
    }

    /**
     * Replaces the result of a successful attempt.
     *
     * @param newResult the result to store instead; may be {@code null}
     * @return a copy with the new result
     * @throws IllegalStateException when this outcome is a failure
     */
    public ExecutionOutcome<R> withResult(R newResult) {
        if (failure != null) {
            throw new IllegalStateException("a failed attempt has no result to replace");
        }
        return new ExecutionOutcome<>(newResult, null, false, resultTtl, timing);
    }

    /**
     * Replaces the TTL of the stored result or error ({@code ttl} > 0, at most 100 years).
     *
     * @param ttl how long the terminal job is kept
     * @return a copy with the new TTL
     */
    public ExecutionOutcome<R> withResultTtl(Duration ttl) {
        Arguments.positive(ttl, "resultTtl");
        return new ExecutionOutcome<>(result, failure, willRetry, ttl, timing);
    }

    /**
     * When the attempt ran and how long the job waited for it. Set by the runtime on every outcome
     * it passes to {@link AfterExecution} (and kept by the {@code with...} copies); empty on an
     * outcome made with {@link #success} or {@link #failure} until then.
     *
     * <!-- snippet: execution-outcome-timing -->
     * <pre>{@code
     * builder.afterExecution((job, outcome) -> {
     *     outcome.timing().ifPresent(t -> log.info("{} took {} ms", job.id(), t.duration().toMillis()));
     *     return outcome;
     * });
     * }</pre>
     *
     * @return the attempt's timing, if known
     */
    public Optional<AttemptTiming> timing() {
        return Optional.ofNullable(timing);
    }

    /**
     * A copy with the attempt's timing; the runtime calls it before the {@link AfterExecution} hook.
     *
     * @param timing when the attempt ran; not {@code null}
     * @return a copy with {@code timing}
     */
    public ExecutionOutcome<R> withTiming(AttemptTiming timing) {
        return new ExecutionOutcome<>(result, failure, willRetry, resultTtl, Arguments.notNull(timing, "timing"));
    }

    @Override
    public String toString() {
        return failure == null
                ? "ExecutionOutcome[success, result=" + result + ", resultTtl=" + resultTtl + ", timing=" + timing + "]"
                : "ExecutionOutcome[failure=" + failure + ", willRetry=" + willRetry + ", resultTtl=" + resultTtl
                        + ", timing=" + timing + "]";
    }
}
