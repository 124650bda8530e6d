package dev.jobqueue;

/**
 * Called after each attempt's outcome is known and before it is stored. It may replace the result
 * (of a successful attempt) and the result TTL (of a success or a failure), e.g. to keep failures
 * longer than successes. If the hook throws, the error is logged and the original outcome is stored.
 * Not called for payloads that cannot be deserialized (there is no {@link Job} to show).
 *
 * <!-- snippet: after-execution -->
 * <pre>{@code
 * builder.afterExecution((job, outcome) -> outcome.succeeded()
 *         ? outcome.withResult(outcome.result().redacted())
 *         : outcome.withResultTtl(Duration.ofDays(7)));
 * }</pre>
 */
@FunctionalInterface
public interface AfterExecution<P, R> {
    /**
     * Decides what is stored for one attempt.
     *
     * @param job the job that was run
     * @param outcome the attempt's outcome as the handler left it
     * @return the outcome to store: {@code outcome} itself or a copy made with its {@code with...} methods
     * @throws Exception when the hook fails; then the original outcome is stored
     */
    ExecutionOutcome<R> afterExecution(Job<P> job, ExecutionOutcome<R> outcome) throws Exception;
}
