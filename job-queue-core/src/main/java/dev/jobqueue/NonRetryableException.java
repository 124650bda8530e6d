package dev.jobqueue;

/**
 * Thrown by a handler to fail its job at once, whatever attempts are left: the job becomes FAILED
 * with this exception as its persisted {@link JobError} (code and all). For exception types of
 * your own see {@link Queue.Builder#nonRetryable} and {@link Queue.Builder#retryIf}.
 *
 * <!-- snippet: non-retryable-exception -->
 * <pre>{@code
 * JobHandler<Order, Receipt> handler = job -> {
 *     if (job.payload().cents() <= 0) {
 *         throw new NonRetryableException("BAD_AMOUNT", "amount must be positive: " + job.payload().cents());
 *     }
 *     return payments.charge(job.payload());
 * };
 * }</pre>
 */
public class NonRetryableException extends JobException {
    private static final long serialVersionUID = 1L;

    /**
     * @param code    the application error code, may be {@code null}
     * @param message the message
     */
    public NonRetryableException(String code, String message) {
        super(code, message);
    }

    /**
     * @param code    the application error code, may be {@code null}
     * @param message the message
     * @param cause   the underlying failure
     */
    public NonRetryableException(String code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
