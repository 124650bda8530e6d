package dev.jobqueue;

import java.time.Duration;

/**
 * Thrown by a handler to run its job again later without using an attempt ("snooze"): the job
 * becomes DELAYED, due {@link #delay()} from now; no error is recorded and the attempt is given
 * back. Useful when the job's input is not ready yet. A job snoozed for ever never ends: bound it
 * yourself (e.g. by {@link Job#createdAt()}).
 *
 * <!-- snippet: snooze-exception -->
 * <pre>{@code
 * JobHandler<Order, Receipt> handler = job -> {
 *     if (!warehouse.hasStock(job.payload())) {
 *         throw new SnoozeException(Duration.ofMinutes(10));   // try again in 10 minutes, same attempt
 *     }
 *     return payments.charge(job.payload());
 * };
 * }</pre>
 */
public class SnoozeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** How long the job waits. */
    private final Duration delay;

    /**
     * @param delay how long the job waits before it is due again (&gt;= 0, at most 100 years)
     * @throws IllegalArgumentException naming {@code delay} when out of range
     */
    public SnoozeException(Duration delay) {
        super("snoozed for " + delay, null, false, false); // control flow: no stack trace
        this.delay = Arguments.nonNegative(delay, "delay");
    }

    /** @return how long the job waits before it is due again */
    public Duration delay() {
        return delay;
    }
}
