package dev.jobqueue;

import java.util.Objects;

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
    public EnqueueRequest {
        Objects.requireNonNull(options, "options");
    }

    public static <P> EnqueueRequest<P> of(String id, P payload) {
        return new EnqueueRequest<>(id, payload, EnqueueOptions.defaults());
    }

    public static <P> EnqueueRequest<P> of(String id, P payload, EnqueueOptions options) {
        return new EnqueueRequest<>(id, payload, options);
    }
}
