package dev.jobqueue.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fsync side of group commit, on its own thread so the journal thread keeps deciding and
 * writing the next batch while the disk flushes the previous one. Each request names work that
 * must wait until everything written before it is durable; one fsync covers every request
 * queued when it starts. In {@link Durability#FSYNC_BATCHED} mode it fsyncs at most once per
 * batch interval, and within one interval after a write.
 */
final class JournalSyncer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JournalSyncer.class);

    /** Work to run once durable, or to fail if the fsync fails. */
    interface Request {
        void durable();

        void failed(RuntimeException error);
    }

    private final Journal journal;
    private final FileStorageOptions options;
    private final Consumer<RuntimeException> onFailure;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition queued = lock.newCondition();
    private final Thread thread;
    private List<Request> requests = new ArrayList<>();
    private boolean writtenSinceSync;
    private boolean closed;
    private RuntimeException failure;
    private long lastSyncNanos = System.nanoTime();

    JournalSyncer(Journal journal, FileStorageOptions options, Consumer<RuntimeException> onFailure, String threadName) {
        this.journal = journal;
        this.options = options;
        this.onFailure = onFailure;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Runs {@code request} once every byte written so far is on disk. */
    void whenDurable(Request request) {
        lock.lock();
        try {
            if (failure != null) {
                request.failed(failure);
                return;
            }
            requests.add(request);
            queued.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Records that the journal was written (FSYNC_BATCHED fsyncs within one interval after it). */
    void written() {
        if (options.durability() != Durability.FSYNC_BATCHED) {
            return;
        }
        lock.lock();
        try {
            if (!writtenSinceSync) {
                writtenSinceSync = true;
                queued.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (true) {
            List<Request> batch;
            lock.lock();
            try {
                while (!closed && requests.isEmpty() && !writtenSinceSync) {
                    queued.awaitUninterruptibly();
                }
                if (options.durability() == Durability.FSYNC_BATCHED && !closed) {
                    long due = lastSyncNanos + options.batchInterval().toNanos();
                    long wait;
                    while (!closed && (wait = due - System.nanoTime()) > 0) {
                        queued.awaitNanos(wait);
                    }
                }
                if (closed && requests.isEmpty() && !writtenSinceSync) {
                    return;
                }
                batch = requests;
                requests = new ArrayList<>();
                writtenSinceSync = false;
            } catch (InterruptedException e) {
                continue; // nobody interrupts this thread on purpose
            } finally {
                lock.unlock();
            }
            sync(batch);
        }
    }

    private void sync(List<Request> batch) {
        try {
            journal.sync();
            lastSyncNanos = System.nanoTime();
        } catch (IOException | RuntimeException e) {
            // After a failed fsync the kernel may have dropped the dirty pages: nothing written
            // since the last good fsync can be trusted, so the storage stops (fsyncgate).
            LOG.error("journal fsync failed", e);
            RuntimeException error = new UncheckedIOException("journal fsync failed",
                    e instanceof IOException io ? io : new IOException(e));
            lock.lock();
            try {
                failure = error;
                batch.addAll(requests);
                requests.clear();
            } finally {
                lock.unlock();
            }
            onFailure.accept(error);
            batch.forEach(r -> r.failed(error));
            return;
        }
        for (Request request : batch) {
            request.durable();
        }
    }

    /** Finishes the queued requests (with a last fsync) and stops the thread. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            writtenSinceSync = true; // one last fsync of whatever was written
            queued.signal();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
