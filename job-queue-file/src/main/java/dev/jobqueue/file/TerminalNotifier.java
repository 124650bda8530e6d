package dev.jobqueue.file;

import dev.jobqueue.spi.Subscription;
import dev.jobqueue.spi.TerminalListener;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Terminal-transition listeners of one storage, called on one notifier thread (never on the
 * storage loop, so a listener that reads the storage cannot deadlock it). A listener that throws
 * is logged and keeps its subscription.
 */
final class TerminalNotifier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TerminalNotifier.class);

    private final Map<String, List<TerminalListener>> listeners = new ConcurrentHashMap<>();
    private final ExecutorService thread;

    TerminalNotifier(String threadName) {
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    Subscription subscribe(String queue, TerminalListener listener) {
        List<TerminalListener> forQueue = listeners.computeIfAbsent(queue, q -> new CopyOnWriteArrayList<>());
        forQueue.add(listener);
        return () -> forQueue.remove(listener);
    }

    boolean hasListeners() {
        for (List<TerminalListener> l : listeners.values()) {
            if (!l.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Hands the terminal records of one batch to their queues' listeners. */
    void publish(List<JobRecord> terminal) {
        if (terminal.isEmpty() || !hasListeners()) {
            return;
        }
        List<JobRecord> copy = List.copyOf(terminal);
        execute(() -> {
            for (JobRecord job : copy) {
                List<TerminalListener> forQueue = listeners.get(job.queue());
                if (forQueue == null) {
                    continue;
                }
                for (TerminalListener listener : forQueue) {
                    try {
                        listener.onTerminal(job.id(), job.snapshot());
                    } catch (RuntimeException e) {
                        LOG.warn("terminal listener failed for job of queue {}", job.queue(), e);
                    }
                }
            }
        });
    }

    /** Tells every listener that notifications may have been missed (the index was rebuilt). */
    void resubscribed() {
        execute(() -> listeners.values().forEach(forQueue -> forQueue.forEach(listener -> {
            try {
                listener.onResubscribed();
            } catch (RuntimeException e) {
                LOG.warn("terminal listener failed on resubscribe", e);
            }
        })));
    }

    private void execute(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("storage closed; notification dropped");
        }
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
