package dev.jobqueue;

import java.time.Duration;

/**
 * Events of one {@link Queue}. Every method has a no-op default; override what you need. Called
 * on queue threads: keep it quick. Exceptions thrown here are logged and never break the queue.
 * Stalls are detected by the {@link Reaper} and reported to its {@link ReaperListener}; on the
 * worker side a job that was reaped from under its handler is reported as {@link #leaseLost}.
 *
 * <!-- snippet: queue-listener -->
 * <pre>{@code
 * builder.listener(new QueueListener() {
 *     public void failed(String jobId, JobError error) { alerts.send(jobId + ": " + error.message()); }
 * });
 * }</pre>
 */
public interface QueueListener {
    /**
     * A new job was created by this queue's enqueue (not for duplicates).
     *
     * @param jobId the new job
     */
    default void enqueued(String jobId) {
    }

    /**
     * This worker starts attempt {@code attempt} of a job.
     *
     * @param jobId   the job
     * @param attempt the 1-based attempt number
     */
    default void started(String jobId, int attempt) {
    }

    /**
     * This worker stored a job's result.
     *
     * @param jobId   the job
     * @param attempt the attempt that succeeded
     */
    default void completed(String jobId, int attempt) {
    }

    /**
     * An attempt failed and the job will be retried after {@code retryIn}.
     *
     * @param jobId   the job
     * @param attempt the attempt that failed
     * @param retryIn the backoff before the next attempt
     * @param error   the failure, as persisted
     */
    default void failing(String jobId, int attempt, Duration retryIn, JobError error) {
    }

    /**
     * The job failed for good (no attempts left, or its payload could not be deserialized).
     *
     * @param jobId the job
     * @param error the persisted error
     */
    default void failed(String jobId, JobError error) {
    }

    /**
     * A job this worker held was handed back to the queue (shutdown) and is QUEUED again.
     *
     * @param jobId the job
     */
    default void requeued(String jobId) {
    }

    /**
     * {@link Queue#cancel(String)} cancelled a job.
     *
     * @param jobId the job
     */
    default void cancelled(String jobId) {
    }

    /**
     * This worker lost a job's lease (it expired and the job was reaped, or it was taken over):
     * the outcome of the attempt was or will be rejected; the newer attempt's outcome stands.
     *
     * @param jobId        the job
     * @param fencingToken the token of the claim that was lost
     */
    default void leaseLost(String jobId, long fencingToken) {
    }

    /**
     * A storage or internal error the queue survived (it backs off and retries).
     *
     * @param error the error
     */
    default void error(Throwable error) {
    }

    /**
     * This queue's workers started: it claims and runs jobs from now on ({@link Queue#start}).
     *
     * @param queue the queue's name
     * @param workerId the queue's worker id
     */
    default void queueStarted(String queue, String workerId) {
    }

    /**
     * This queue's workers stopped: every job it held finished or was handed back ({@link Queue#stop}).
     *
     * @param queue the queue's name
     * @param workerId the queue's worker id
     */
    default void queueStopped(String queue, String workerId) {
    }

    /**
     * {@link #started(String, int)} with the time the job waited in the queue. The runtime calls
     * this method; its default calls the two-argument one, so override either.
     *
     * @param jobId     the job
     * @param attempt   the 1-based attempt number
     * @param queueWait how long the job was claimable before this worker claimed it (storage clock)
     */
    default void started(String jobId, int attempt, Duration queueWait) {
        started(jobId, attempt);
    }

    /**
     * {@link #completed(String, int)} with the attempt's timing. The runtime calls this method;
     * its default calls the two-argument one, so override either.
     *
     * @param jobId   the job
     * @param attempt the attempt that succeeded
     * @param timing  when the attempt ran and how long the job waited for it
     */
    default void completed(String jobId, int attempt, AttemptTiming timing) {
        completed(jobId, attempt);
    }

    /**
     * {@link #failing(String, int, Duration, JobError)} with the attempt's timing. The runtime calls
     * this method; its default calls the four-argument one, so override either.
     *
     * @param jobId   the job
     * @param attempt the attempt that failed
     * @param retryIn the backoff before the next attempt
     * @param error   the failure, as persisted
     * @param timing  when the attempt ran and how long the job waited for it
     */
    default void failing(String jobId, int attempt, Duration retryIn, JobError error, AttemptTiming timing) {
        failing(jobId, attempt, retryIn, error);
    }

    /**
     * {@link #failed(String, JobError)} with the last attempt's number and timing. The runtime calls
     * this method for failures of an attempt; its default calls the two-argument one, so override either.
     *
     * @param jobId   the job
     * @param attempt the attempt that failed for good
     * @param error   the persisted error
     * @param timing  when the attempt ran and how long the job waited for it
     */
    default void failed(String jobId, int attempt, JobError error, AttemptTiming timing) {
        failed(jobId, error);
    }

    /**
     * A running attempt's handler did not return within the timeout grace after its execution
     * timeout interrupted it. Its TIMEOUT failure was recorded at once and its lease is no longer
     * extended, so the job goes on (retried or failed); the handler's thread is still busy and
     * keeps its worker slot until it returns, and whatever it returns then is discarded.
     *
     * @param jobId   the job
     * @param attempt the attempt whose handler does not return
     * @param runningFor how long the attempt has been running
     */
    default void handlerUnresponsive(String jobId, int attempt, Duration runningFor) {
    }

    /**
     * A job this worker was running was cancelled ({@link Queue#cancel(String)}, from this or any
     * other process): its handler was interrupted and whatever it returns is not recorded.
     *
     * @param jobId   the job
     * @param attempt the attempt that was cancelled
     */
    default void runningJobCancelled(String jobId, int attempt) {
    }

    /**
     * A handler snoozed its job ({@link SnoozeException}, or {@link BackOffException} which also
     * throttles the queue): the job is DELAYED for {@code delay} and its attempt was given back.
     *
     * @param jobId   the job
     * @param attempt the attempt that snoozed (it does not count)
     * @param delay   how long the job waits
     * @param backOff whether the handler asked the whole queue to back off
     */
    default void snoozed(String jobId, int attempt, Duration delay, boolean backOff) {
    }
}
