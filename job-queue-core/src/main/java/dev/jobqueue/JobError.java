package dev.jobqueue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The persisted, structured form of a job failure: what a FAILED job keeps and what a
 * {@link JobFailedException} carries. It is plain data (no live exception), so it survives
 * restarts of file and Redis storages and can be read by another process.
 *
 * <!-- snippet: job-error -->
 * <pre>{@code
 * queue.error("invoice-42").ifPresent(e -> log.warn("{}: {} (after {} attempts)", e.type(), e.message(), e.attempts()));
 * }</pre>
 *
 * @param type       the exception class name, e.g. {@code java.io.IOException}
 * @param message    the exception message, may be {@code null}
 * @param stackTrace the printed stack trace, may be {@code null}
 * @param code       an application error code (see {@link JobException#code()}), may be {@code null}
 * @param attempts   how many attempts had run when the job failed
 * @param failedAt   when the failure was recorded (millisecond precision)
 */
public record JobError(String type, String message, String stackTrace, String code, int attempts, Instant failedAt) {

    /** Error type used when a job's lease expired more than {@code maxStalls} times. */
    public static final String STALLED_TYPE = "dev.jobqueue.StalledTooOften";
    /** Error type used when a payload could not be deserialized. */
    public static final String DESERIALIZATION_TYPE = "dev.jobqueue.PayloadDeserializationFailed";
    /**
     * The {@link #code()} of an attempt that ran longer than its execution timeout (its type is
     * {@link ExecutionTimeoutException}'s class name).
     */
    public static final String TIMEOUT = "TIMEOUT";

    /**
     * Checks type and failedAt are present and cuts failedAt to milliseconds.
     *
     * @param type see {@link #type()}
     * @param message see {@link #message()}
     * @param stackTrace see {@link #stackTrace()}
     * @param code see {@link #code()}
     * @param attempts see {@link #attempts()}
     * @param failedAt see {@link #failedAt()}
     */
    public JobError {
        Arguments.notNull(type, "type");
        // millisecond precision, as every persistent storage keeps it: the error a caller gets
        // in-process equals the one read back from the storage later
        failedAt = Arguments.notNull(failedAt, "failedAt").truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * Captures {@code t} as a JobError; the code comes from {@link JobException} when {@code t} is one.
     *
     * @param t        the failure
     * @param attempts how many attempts had run
     * @param failedAt when it failed
     * @return the error with t's class name, message and printed stack trace
     */
    public static JobError of(Throwable t, int attempts, Instant failedAt) {
        StringWriter trace = new StringWriter();
        t.printStackTrace(new PrintWriter(trace));
        String code = t instanceof JobException je ? je.code() : null;
        return new JobError(t.getClass().getName(), t.getMessage(), trace.toString(), code, attempts, failedAt);
    }
}
