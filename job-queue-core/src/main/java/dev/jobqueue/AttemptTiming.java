package dev.jobqueue;

import java.time.Duration;
import java.time.Instant;

/**
 * When one attempt of a job ran, and how long the job waited for it.
 *
 * <p>{@code queueWait} is measured on the storage's clock (from the moment the job last became
 * claimable to its claim), so it is right across hosts whose clocks differ; {@code startedAt},
 * {@code finishedAt} and {@code duration} are measured by the worker that ran the attempt.
 *
 * <!-- snippet: attempt-timing -->
 * <pre>{@code
 * Queue.builder(storage, Order.class, Receipt.class).listener(new QueueListener() {
 *     @Override
 *     public void completed(String jobId, int attempt, AttemptTiming timing) {
 *         log.info("{} ran {} ms after waiting {} ms", jobId, timing.duration().toMillis(), timing.queueWait().toMillis());
 *     }
 * });
 * }</pre>
 *
 * @param startedAt  when the handler started (worker clock)
 * @param finishedAt when the handler returned or threw (worker clock)
 * @param duration   how long the handler ran, measured with a monotonic clock
 * @param queueWait  how long the job was claimable before a worker claimed it (storage clock; zero
 *                   when the clocks cannot tell)
 */
public record AttemptTiming(Instant startedAt, Instant finishedAt, Duration duration, Duration queueWait) {
    /**
     * Checks that every field is present and no duration is negative.
     *
     * @param startedAt see {@link #startedAt()}
     * @param finishedAt see {@link #finishedAt()}
     * @param duration see {@link #duration()}
     * @param queueWait see {@link #queueWait()}
     */
    public AttemptTiming {
        Arguments.notNull(startedAt, "startedAt");
        Arguments.notNull(finishedAt, "finishedAt");
        Arguments.notNull(duration, "duration");
        Arguments.notNull(queueWait, "queueWait");
        if (duration.isNegative() || queueWait.isNegative()) {
            throw new IllegalArgumentException("duration and queueWait must not be negative");
        }
    }
}
