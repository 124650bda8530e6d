package dev.jobqueue.internal;

import dev.jobqueue.AfterExecution;
import dev.jobqueue.Backoff;
import dev.jobqueue.JobHandler;
import dev.jobqueue.QueueListener;
import dev.jobqueue.Serde;
import dev.jobqueue.spi.Storage;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;

/**
 * The validated configuration of one queue, as the runtime needs it.
 *
 * @param prefetch  jobs a worker may hold claimed beyond its running handlers (claim-ahead buffer)
 * @param claimWait longest a claim call blocks when idle; bounds how long stop waits for the claimer
 */
public record QueueSettings<P, R>(Storage storage, String name, int concurrency, int prefetch, int maxAttempts,
                                  Backoff backoff,
                                  Duration visibilityTimeout, int maxStalls, Duration resultTtl,
                                  Serde<P> payloadSerde, Serde<R> resultSerde, JobHandler<P, R> handler,
                                  AfterExecution<P, R> afterExecution, QueueListener listener, Logger logger,
                                  Clock clock, String workerId, Duration claimWait) {
}
