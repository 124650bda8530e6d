package dev.jobqueue;

import java.util.Map;

/**
 * A hook around the two ends of a job's life: the producer's enqueue and each attempt a worker
 * runs. Tracing (the job-queue-opentelemetry module), log context (MDC) and similar cross-cutting
 * concerns plug in here without touching handlers. Registered on {@link Queue.Builder}; several
 * run in registration order, the first registered outermost.
 *
 * <!-- snippet: job-interceptor -->
 * <pre>{@code
 * JobInterceptor tenant = new JobInterceptor() {
 *     @Override
 *     public Map<String, String> beforeEnqueue(String queue, String jobId, Map<String, String> metadata) {
 *         Map<String, String> withTenant = new HashMap<>(metadata);
 *         withTenant.put("tenant", Tenants.current());
 *         return withTenant;
 *     }
 *
 *     @Override
 *     public Object aroundAttempt(String queue, Job<?> job, Attempt attempt) throws Exception {
 *         Tenants.set(job.metadata().get("tenant"));
 *         try {
 *             return attempt.proceed();
 *         } finally {
 *             Tenants.clear();
 *         }
 *     }
 * };
 * Queue.builder(storage, Order.class, Receipt.class).interceptor(tenant);
 * }</pre>
 */
public interface JobInterceptor {
    /**
     * Called on the producer's thread for each job of every enqueue call ({@code enqueue},
     * {@code enqueueAsync}, {@code enqueueAll}, {@code enqueueAndWait}, {@code submit}) before the
     * job is stored. It runs before the storage knows whether the id exists: for a duplicate id
     * the returned metadata is dropped with the rest of the request. Returns the metadata to
     * store; the returned map is checked against the metadata bounds of
     * {@link dev.jobqueue.spi.JobMetadata} (an {@link IllegalArgumentException} naming
     * {@code metadata} fails the enqueue, as does any exception thrown here).
     *
     * @param queue    the queue's name
     * @param jobId    the job's id
     * @param metadata the metadata so far (from {@link EnqueueOptions} and earlier interceptors); unmodifiable
     * @return the metadata to store: {@code metadata} itself, or a new map
     */
    default Map<String, String> beforeEnqueue(String queue, String jobId, Map<String, String> metadata) {
        return metadata;
    }

    /**
     * Wraps one attempt on the thread that runs the handler. Must call {@code attempt.proceed()}
     * exactly once (a second call throws {@link IllegalStateException}) and return its result or
     * let its exception through: the worker decides retry or failure from what comes out, so an
     * exception thrown here, before or after proceeding, fails the attempt like a handler failure.
     * Not called for a payload that cannot be deserialized: that job fails before a handler could run.
     *
     * @param queue   the queue's name
     * @param job     the job, with its {@link Job#metadata()} as enqueued
     * @param attempt the handler call (and the interceptors inside this one)
     * @return what {@code attempt.proceed()} returned
     * @throws Exception what {@code attempt.proceed()} threw
     */
    default Object aroundAttempt(String queue, Job<?> job, Attempt attempt) throws Exception {
        return attempt.proceed();
    }

    /** The rest of an attempt: inner interceptors, then the handler. */
    @FunctionalInterface
    interface Attempt {
        /**
         * Runs the rest of the attempt.
         *
         * @return the handler's result
         * @throws Exception the handler's failure
         */
        Object proceed() throws Exception;
    }
}
