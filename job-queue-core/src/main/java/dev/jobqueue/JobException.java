package dev.jobqueue;

/**
 * An exception a handler may throw to attach an application error code to the persisted
 * {@link JobError}. Any other exception works too; it just has no code.
 *
 * <!-- snippet: job-exception -->
 * <pre>{@code
 * throw new JobException("CARD_DECLINED", "card ending 4242 was declined");
 * }</pre>
 */
public class JobException extends RuntimeException {
    /** The application error code, may be {@code null}. */
    private final String code;

    /**
     * @param code    the application error code, may be {@code null}
     * @param message the message
     */
    public JobException(String code, String message) {
        super(message);
        this.code = code;
    }

    /**
     * @param code    the application error code, may be {@code null}
     * @param message the message
     * @param cause   the underlying failure
     */
    public JobException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** @return the application error code, may be {@code null} */
    public String code() {
        return code;
    }
}
