package dev.jobqueue.spi;

/**
 * A registration that stops when closed. Closing twice is harmless.
 *
 * <!-- snippet: subscription -->
 * <pre>{@code
 * Subscription s = storage.subscribe("emails", (jobId, snapshot) -> done.add(jobId));
 * // told about every job of "emails" that ends, until:
 * s.close();
 * }</pre>
 */
public interface Subscription extends AutoCloseable {
    @Override
    void close();
}
