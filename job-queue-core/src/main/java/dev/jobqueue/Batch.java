package dev.jobqueue;

import java.util.List;

/**
 * One batch of jobs handed to a {@link BatchHandler}, and where the handler reports each job's
 * outcome. Each job takes one outcome; the first one reported stands. Thread-safe, so a handler
 * may process the jobs in parallel.
 *
 * <!-- snippet: batch -->
 * <pre>{@code
 * for (Job<Email> job : batch.jobs()) {
 *     try {
 *         batch.complete(job, mailer.send(job.payload()));
 *     } catch (MailException e) {
 *         batch.fail(job, e);      // only this job is retried
 *     }
 * }
 * }</pre>
 *
 * @param <P> the payload type
 * @param <R> the result type
 */
public interface Batch<P, R> {
    /**
     * The jobs of this batch, in the order they were claimed.
     *
     * @return an unmodifiable list of at least one job
     */
    List<Job<P>> jobs();

    /**
     * Completes {@code job} with {@code result} (stored with the other successes of the batch
     * after the handler returns).
     *
     * @param job a job of this batch
     * @param result its result; may be {@code null}
     * @throws IllegalArgumentException when {@code job} is not of this batch
     * @throws IllegalStateException when the job already has an outcome
     */
    void complete(Job<P> job, R result);

    /**
     * Fails this attempt of {@code job}: retried after the queue's backoff while attempts are
     * left, else FAILED with a {@link JobError} made from {@code error}.
     *
     * @param job a job of this batch
     * @param error why it failed; throw or pass a {@link JobException} to attach an error code
     * @throws IllegalArgumentException when {@code job} is not of this batch or {@code error} is null
     * @throws IllegalStateException when the job already has an outcome
     */
    void fail(Job<P> job, Throwable error);
}
