package dev.jobqueue.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * "At most K in flight" for blocking calls: K threads (started before the clock starts), each
 * taking the next index until {@code count} calls are made. This is the Java counterpart of the
 * peers' {@code pool(count, inflight, task)} over promises: {@code Queue.enqueue} and
 * {@code Queue.enqueueAndWait} block their caller, so K outstanding calls need K threads.
 *
 * <pre>{@code
 * try (ProducerPool pool = new ProducerPool("w1-producer", 256)) {
 *     pool.run(50_000, i -> queue.enqueue("w1-" + i, BenchPayload.of(i)));
 * }
 * }</pre>
 */
final class ProducerPool implements AutoCloseable {
    /** One call of the workload, by index. */
    @FunctionalInterface
    interface IndexedCall {
        void call(int i) throws Exception;
    }

    private final int lanes;
    private final ThreadPoolExecutor executor;

    ProducerPool(String name, int lanes) {
        this.lanes = lanes;
        AtomicInteger seq = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(lanes, lanes, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, name + "-" + seq.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        executor.prestartAllCoreThreads();
    }

    /** Makes calls 0..count-1 with at most {@code lanes} outstanding; the first failure stops all lanes and is thrown. */
    void run(int count, IndexedCall call) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (int k = 0; k < Math.min(lanes, count); k++) {
            futures.add(executor.submit(() -> {
                int i;
                while (failed.get() == 0 && (i = next.getAndIncrement()) < count) {
                    try {
                        call.call(i);
                    } catch (Exception e) {
                        failed.incrementAndGet();
                        throw e;
                    }
                }
                return null;
            }));
        }
        Exception first = null;
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (first == null) {
                    first = e.getCause() instanceof Exception ex ? ex : e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
