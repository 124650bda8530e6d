package dev.jobqueue.examples;

/**
 * The payload the Redis examples share: what {@link RedisProducer} enqueues and {@link RedisWorker}
 * handles (serialized as JSON by the default serde).
 *
 * <pre>{@code
 * queue.enqueue("welcome-42", new EmailJob("ada@example.com", "Welcome!"));
 * }</pre>
 *
 * @param to      recipient
 * @param subject subject line
 */
public record EmailJob(String to, String subject) {
}
