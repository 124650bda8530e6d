package dev.jobqueue.spi;

/**
 * A registration that stops when closed. Closing twice is harmless.
 *
 * <pre>{@code
 * try (Subscription s = storage.subscribe("emails", (jobId, snapshot) -> done.add(jobId))) {
 *     ... // told about every job of "emails" that ends, until closed
 * }
 * }</pre>
 */
public interface Subscription extends AutoCloseable {
    @Override
    void close();
}
