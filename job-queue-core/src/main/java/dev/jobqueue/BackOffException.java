package dev.jobqueue;

import java.time.Duration;

/**
 * Thrown by a handler when a downstream service asked it to slow down (an HTTP 429 with a
 * Retry-After, say): the whole queue stops taking jobs for {@link #duration()}, on every process
 * and host ({@link Queue#throttle(Duration)}), and this job is snoozed for the same time (DELAYED,
 * no attempt used, no error recorded, as with {@link SnoozeException}).
 *
 * <!-- snippet: back-off-exception -->
 * <pre>{@code
 * JobHandler<Mail, Void> handler = job -> {
 *     HttpResponse<String> r = mailApi.send(job.payload());
 *     if (r.statusCode() == 429) {
 *         throw new BackOffException(Duration.ofSeconds(30));   // every worker of the queue pauses 30 s
 *     }
 *     return null;
 * };
 * }</pre>
 */
public class BackOffException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** How long the queue backs off. */
    private final Duration duration;

    /**
     * @param duration how long the queue takes no jobs (&gt; 0, at most 1 day)
     * @throws IllegalArgumentException naming {@code duration} when out of range
     */
    public BackOffException(Duration duration) {
        super("back off for " + duration, null, false, false); // control flow: no stack trace
        Arguments.positive(duration, "duration");
        Arguments.check(duration.compareTo(Duration.ofDays(1)) <= 0, "duration must be at most 1 day, got " + duration);
        this.duration = duration;
    }

    /** @return how long the queue takes no jobs */
    public Duration duration() {
        return duration;
    }
}
