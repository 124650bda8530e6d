package dev.jobqueue;

/**
 * Runs one attempt of a job and returns its result. Throwing (any {@link Throwable}) fails the
 * attempt: it is retried after the queue's backoff while attempts are left, else the job is FAILED
 * with a {@link JobError}. Throw a {@link JobException} to attach an error code.
 *
 * <!-- snippet: job-handler -->
 * <pre>{@code
 * Queue<Order, Receipt> queue = Queue.builder(storage, Order.class, Receipt.class)
 *         .handler(job -> payments.charge(job.payload()))
 *         .build();
 * }</pre>
 *
 * <p>Delivery is at least once: make handlers idempotent (use {@link Job#id()} and
 * {@link Job#fencingToken()}).
 */
@FunctionalInterface
public interface JobHandler<P, R> {
    /**
     * @param job this attempt: id, payload, attempt number, fencing token
     * @return the result, stored and handed to waiting callers
     * @throws Exception to fail the attempt (retried while attempts are left)
     */
    R handle(Job<P> job) throws Exception;
}
