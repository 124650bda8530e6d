package dev.jobqueue.postgres;

import dev.jobqueue.spi.EnqueueOutcome;
import dev.jobqueue.spi.NewJob;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * Carries out {@code enqueueAsync}: one thread takes every request pending at that moment and
 * stores them per queue with one {@code enqueueBatch} statement each, so a producer with many
 * enqueues in flight pays one round trip (and one NOTIFY) per batch instead of per job. One
 * thread, first in first out, so each producer thread's enqueues land in the order issued.
 */
final class AsyncEnqueuer implements AutoCloseable {
    private static final int MAX_BATCH = 1000;

    private record Request(String queue, NewJob job, CompletableFuture<EnqueueOutcome> future) {
    }

    /** Put on the queue by {@link #close}, so the thread stops waiting at once; never stored. */
    private static final Request CLOSING = new Request(null, null, null);

    private final LinkedBlockingQueue<Request> pending = new LinkedBlockingQueue<>();
    private final BiFunction<String, List<NewJob>, List<EnqueueOutcome>> enqueueBatch;
    private final Thread thread;
    private volatile boolean closed;

    AsyncEnqueuer(String name, BiFunction<String, List<NewJob>, List<EnqueueOutcome>> enqueueBatch) {
        this.enqueueBatch = enqueueBatch;
        this.thread = new Thread(this::run, "jobqueue-postgres-enqueue-" + name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    CompletableFuture<EnqueueOutcome> submit(String queue, NewJob job) {
        CompletableFuture<EnqueueOutcome> future = new CompletableFuture<>();
        if (closed) {
            future.completeExceptionally(new IllegalStateException("storage is closed"));
            return future;
        }
        pending.add(new Request(queue, job, future));
        return future;
    }

    private void run() {
        List<Request> batch = new ArrayList<>();
        while (true) {
            try {
                Request first = pending.poll(200, TimeUnit.MILLISECONDS);
                if (first == null || first == CLOSING) {
                    if (closed && pending.isEmpty()) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
            } catch (InterruptedException e) {
                if (closed && pending.isEmpty()) {
                    return;
                }
                continue;
            }
            pending.drainTo(batch, MAX_BATCH - 1);
            batch.remove(CLOSING);
            store(batch);
            batch.clear();
        }
    }

    private void store(List<Request> batch) {
        Map<String, List<Request>> byQueue = new LinkedHashMap<>();
        for (Request r : batch) {
            byQueue.computeIfAbsent(r.queue(), q -> new ArrayList<>()).add(r);
        }
        for (Map.Entry<String, List<Request>> e : byQueue.entrySet()) {
            List<Request> requests = e.getValue();
            List<NewJob> jobs = new ArrayList<>(requests.size());
            requests.forEach(r -> jobs.add(r.job()));
            try {
                List<EnqueueOutcome> outcomes = enqueueBatch.apply(e.getKey(), jobs);
                for (int i = 0; i < requests.size(); i++) {
                    requests.get(i).future().complete(outcomes.get(i));
                }
            } catch (RuntimeException failure) {
                requests.forEach(r -> r.future().completeExceptionally(failure));
            }
        }
    }

    /** Stores what is pending, then stops. */
    @Override
    public void close() {
        closed = true;
        pending.add(CLOSING);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Request r;
        while ((r = pending.poll()) != null) {
            r.future().completeExceptionally(new IllegalStateException("storage is closed"));
        }
    }
}
