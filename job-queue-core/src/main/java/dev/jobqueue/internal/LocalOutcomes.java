package dev.jobqueue.internal;

import dev.jobqueue.JobError;

/**
 * The in-process fast path for request/response: a worker tells the waiters of its own queue
 * about an outcome it just stored, without waiting for the storage's notification.
 */
public interface LocalOutcomes<R> {
    void completed(String jobId, R result);

    void failed(String jobId, JobError error);

    LocalOutcomes<Object> NONE = new LocalOutcomes<>() {
        @Override
        public void completed(String jobId, Object result) {
        }

        @Override
        public void failed(String jobId, JobError error) {
        }
    };
}
