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
    private final String code;

    public JobException(String code, String message) {
        super(message);
        this.code = code;
    }

    public JobException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The application error code, may be {@code null}. */
    public String code() {
        return code;
    }
}
