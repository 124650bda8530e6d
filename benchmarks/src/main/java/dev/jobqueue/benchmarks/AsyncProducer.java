package dev.jobqueue.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * "At most K in flight" for asynchronous calls, the way the peers do it over promises: one
 * thread starts call i once fewer than K are outstanding, each call's future frees its slot.
 * The Java counterpart of the peers' {@code pool(count, inflight, task)}; {@link ProducerPool}
 * is the blocking alternative (K threads).
 *
 * <pre>{@code
 * AsyncProducer.run(50_000, 256, i -> queue.enqueueAsync("w1-" + i, BenchPayload.of(i)));
 * }</pre>
 */
final class AsyncProducer {
    /** One asynchronous call of the workload, by index. */
    @FunctionalInterface
    interface IndexedAsyncCall {
        CompletableFuture<?> call(int i) throws Exception;
    }

    private AsyncProducer() {
    }

    /** Makes calls 0..count-1 with at most {@code inflight} outstanding; the first failure stops it and is thrown. */
    static void run(int count, int inflight, IndexedAsyncCall call) throws Exception {
        Semaphore slots = new Semaphore(inflight);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int i = 0; i < count && failure.get() == null; i++) {
            slots.acquire();
            call.call(i).whenComplete((ignored, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error);
                }
                slots.release();
            });
        }
        slots.acquire(inflight); // every call has ended
        Throwable f = failure.get();
        if (f instanceof Exception e) {
            throw e;
        }
        if (f instanceof Error e) {
            throw e;
        }
    }
}
