package dev.jobqueue.spi;

/** A registration that stops when closed. Closing twice is harmless. */
public interface Subscription extends AutoCloseable {
    @Override
    void close();
}
