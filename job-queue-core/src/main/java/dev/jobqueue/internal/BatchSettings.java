package dev.jobqueue.internal;

import dev.jobqueue.BatchHandler;
import java.time.Duration;

/**
 * The batch handler of a queue and its batch bounds (see {@code Queue.Builder.batchHandler}).
 *
 * @param handler the handler
 * @param maxJobs the most jobs per batch (1 to 1,000)
 * @param maxWait how long to wait for more jobs once a batch has its first one
 */
public record BatchSettings<P, R>(BatchHandler<P, R> handler, int maxJobs, Duration maxWait) {
    /** The largest batch: one claim call takes at most this many jobs. */
    public static final int MAX_JOBS = 1000;
}
