package dev.jobqueue.micrometer;

import dev.jobqueue.spi.Storage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A storage that forwards every call to another and counts the reads the gauges make; it can make
 * {@code counts} fail, and drop lease extensions so that a running job's lease expires.
 * A dynamic proxy, so it forwards every SPI method, present and future, without a copy of each.
 */
final class CountingStorage {
    final AtomicInteger countsCalls = new AtomicInteger();
    final AtomicInteger isPausedCalls = new AtomicInteger();
    volatile RuntimeException countsFailure;
    volatile boolean dropExtensions;
    final Storage storage;

    CountingStorage(Storage delegate) {
        this.storage = (Storage) Proxy.newProxyInstance(Storage.class.getClassLoader(), new Class<?>[] {Storage.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "counts" -> {
                            countsCalls.incrementAndGet();
                            RuntimeException failure = countsFailure;
                            if (failure != null) {
                                throw failure;
                            }
                        }
                        case "isPaused" -> isPausedCalls.incrementAndGet();
                        case "extend" -> {
                            if (dropExtensions) {
                                return List.of(); // claims nothing was lost, extends nothing
                            }
                        }
                        default -> {
                        }
                    }
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
