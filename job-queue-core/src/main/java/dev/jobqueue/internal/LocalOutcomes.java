package dev.jobqueue.internal;

import dev.jobqueue.spi.TerminalListener;

import dev.jobqueue.JobError;

/**
 * The in-process fast path for request/response: a worker tells the waiters of its own queue
 * about an outcome it just stored, without waiting for the storage's notification.
 *
 * <p>The worker takes a {@link #mark()} before it stores the outcome and passes it along, so
 * only callers that registered before that moment are told. A caller that registered later
 * waits for a newer job with the same id (the old record expired or was cancelled) and must not
 * receive this one's outcome.
 */
public interface LocalOutcomes<R> {
    /** A position in the order of waiter registrations; take it before storing the outcome. */
    long mark();

    void completed(String jobId, R result, long mark);

    void failed(String jobId, JobError error, long mark);

    /**
     * Also tells {@code listener} of every terminal notice of the queue, over the one subscription
     * the queue's waiters use (subscribing now if needed: storages keep one subscription per queue),
     * until called with {@code null}. The worker listens so to interrupt handlers of jobs cancelled
     * while running.
     *
     * @throws RuntimeException when subscribing fails (the storage is down)
     */
    void shareNotices(TerminalListener listener);
}
