package dev.jobqueue;

/**
 * One job for {@link Queue#enqueueAll(java.util.List)}.
 *
 * <!-- snippet: enqueue-request -->
 * <pre>{@code
 * queue.enqueueAll(List.of(EnqueueRequest.of("a", orderA), EnqueueRequest.of("b", orderB, EnqueueOptions.builder().priority(5).build())));
 * }</pre>
 *
 * @param id      job id and deduplication key
 * @param payload the payload
 * @param options per-job options
 */
public record EnqueueRequest<P>(String id, P payload, EnqueueOptions options) {
    /**
     * Checks that options are given ({@link EnqueueOptions#defaults()} when there are none).
     *
     * @param id see {@link #id()}
     * @param payload see {@link #payload()}
     * @param options see {@link #options()}
     */
    public EnqueueRequest {
        Arguments.notNull(options, "options");
    }

    /**
     * @param <P>     the payload type
     * @param id      job id and deduplication key
     * @param payload the payload
     * @return a request with the queue's default options
     */
    public static <P> EnqueueRequest<P> of(String id, P payload) {
        return new EnqueueRequest<>(id, payload, EnqueueOptions.defaults());
    }

    /**
     * @param <P>     the payload type
     * @param id      job id and deduplication key
     * @param payload the payload
     * @param options per-job options (delay, priority, attempts, result TTL)
     * @return a request with these options
     */
    public static <P> EnqueueRequest<P> of(String id, P payload, EnqueueOptions options) {
        return new EnqueueRequest<>(id, payload, options);
    }
}
