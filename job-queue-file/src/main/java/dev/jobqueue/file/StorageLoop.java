package dev.jobqueue.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that reads and writes the journal. Callers hand it operations and wait; it runs
 * whatever has queued up as one batch: take the directory lock, catch up with other processes,
 * decide every operation on the caught-up index, write all their records with one append,
 * release the lock, then one fsync for the whole batch (group commit) before any durable caller
 * returns. Operations arriving during that fsync form the next batch.
 *
 * <p>Doing all file I/O on this thread also means a caller's interrupt can never close the
 * journal channel (NIO closes a channel when a thread blocked in it is interrupted).
 */
final class StorageLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StorageLoop.class);
    private static final int MAX_BATCH = 4096;

    private final StorageDirectory dir;
    private final Journal journal;
    private final Transitions transitions;
    private final FileStorageOptions options;
    private final Clock clock;
    private final TerminalNotifier notifier;
    private final BlockingQueue<Task<?>> inbox = new LinkedBlockingQueue<>();
    private final Map<String, WorkSignal> signals = new ConcurrentHashMap<>();
    private final BatchEffects effects = new BatchEffects();
    private final AtomicBoolean catchUpQueued = new AtomicBoolean();
    private final Thread thread;
    private volatile boolean closed;
    private volatile RuntimeException failure;
    private long lastSyncNanos = System.nanoTime();

    /** One operation: {@code durable} ones return only once their records are fsynced (FSYNC_EACH). */
    private static final class Task<T> {
        final boolean durable;
        final boolean compact;
        final Function<Transitions, T> body;
        final CompletableFuture<T> done = new CompletableFuture<>();
        T result;
        RuntimeException error;

        Task(boolean durable, boolean compact, Function<Transitions, T> body) {
            this.durable = durable;
            this.compact = compact;
            this.body = body;
        }

        void finish() {
            if (error != null) {
                done.completeExceptionally(error);
            } else {
                done.complete(result);
            }
        }
    }

    StorageLoop(StorageDirectory dir, Journal journal, StateIndex state, FileStorageOptions options,
                TerminalNotifier notifier, String threadName) {
        this.dir = dir;
        this.journal = journal;
        this.transitions = new Transitions(state, journal);
        this.options = options;
        this.clock = options.clock();
        this.notifier = notifier;
        journal.collectInto(effects);
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Runs {@code body} on the loop and waits (uninterruptibly: the operation may already be on disk). */
    <T> T call(boolean durable, Function<Transitions, T> body) {
        return submit(new Task<>(durable, false, body));
    }

    /** Compacts now, regardless of the thresholds. */
    void compactNow() {
        submit(new Task<>(true, true, t -> null));
    }

    private <T> T submit(Task<T> task) {
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException("storage operation called from the storage loop thread");
        }
        checkUsable();
        inbox.add(task);
        if (closed) {
            drainClosed();
        }
        try {
            return task.done.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** Asks the loop to read what other processes appended (without waiting for it). */
    void requestCatchUp() {
        if (!closed && catchUpQueued.compareAndSet(false, true)) {
            inbox.add(new Task<Void>(false, false, t -> null));
        }
    }

    WorkSignal signal(String queue) {
        return signals.computeIfAbsent(queue, q -> new WorkSignal());
    }

    private void checkUsable() {
        if (failure != null) {
            throw new IllegalStateException("FileStorage at " + dir.path() + " failed and must be reopened: "
                    + failure.getMessage(), failure);
        }
        if (closed) {
            throw new IllegalStateException("FileStorage at " + dir.path() + " is closed");
        }
    }

    private void run() {
        List<Task<?>> batch = new ArrayList<>();
        while (!closed || !inbox.isEmpty()) {
            try {
                Task<?> first = inbox.poll(pollTimeoutNanos(), TimeUnit.NANOSECONDS);
                if (first == null) {
                    syncIfBatchIntervalPassed();
                    continue;
                }
                batch.add(first);
                inbox.drainTo(batch, MAX_BATCH - 1);
                runBatch(batch);
            } catch (InterruptedException e) {
                // Nobody interrupts this thread on purpose; keep serving until closed.
                Thread.interrupted();
            } catch (RuntimeException | Error e) {
                LOG.error("storage loop of {} failed", dir.path(), e);
                fail(batch, e instanceof RuntimeException r ? r : new IllegalStateException(e));
            } finally {
                batch.clear();
            }
        }
        finalSync();
    }

    private long pollTimeoutNanos() {
        if (options.durability() == Durability.FSYNC_BATCHED && unsynced()) {
            return Math.max(0, options.batchInterval().toNanos() - (System.nanoTime() - lastSyncNanos));
        }
        return TimeUnit.MILLISECONDS.toNanos(500);
    }

    private void runBatch(List<Task<?>> batch) {
        if (failure != null) {
            fail(batch, new IllegalStateException("FileStorage at " + dir.path() + " failed and must be reopened",
                    failure));
            return;
        }
        boolean durable = false;
        boolean compact = false;
        try {
            catchUpQueued.set(false); // every batch catches up
            StorageDirectory.DirectoryLock lock = dir.lockExclusive();
            try {
                journal.catchUp(clock.instant());
                transitions.sweepExpired(clock.instant());
                for (Task<?> task : batch) {
                    run(task);
                    durable |= task.durable;
                    compact |= task.compact;
                }
                appendOrRecover(batch);
                if (compact || compactionDue()) {
                    journal.compact(clock.instant());
                }
            } finally {
                lock.close();
            }
            if (durable && options.durability() == Durability.FSYNC_EACH && journal.hasUnsyncedBytes()) {
                sync();
            } else {
                syncIfBatchIntervalPassed();
            }
        } catch (IOException e) {
            fail(batch, new UncheckedIOException("journal I/O failed in " + dir.path(), e));
            return;
        } catch (CorruptJournalException e) {
            fail(batch, e);
            return;
        }
        for (Task<?> task : batch) {
            task.finish();
        }
        dispatchEffects();
    }

    private <T> void run(Task<T> task) {
        try {
            task.result = task.body.apply(transitions);
        } catch (RuntimeException e) {
            task.error = e;
        }
    }

    /** Writes the batch; if the write fails, the index is rebuilt from disk and the batch fails. */
    private void appendOrRecover(List<Task<?>> batch) throws IOException {
        try {
            journal.appendPending();
        } catch (IOException e) {
            LOG.error("journal append failed in {}; reloading the index from disk", dir.path(), e);
            journal.discardPending();
            effects.clear();
            journal.recover(clock.instant());
            UncheckedIOException failed = new UncheckedIOException("journal append failed in " + dir.path(), e);
            for (Task<?> task : batch) {
                task.result = null;
                task.error = failed;
            }
        }
    }

    private boolean compactionDue() throws IOException {
        long size = journal.size();
        return size >= options.compactionThresholdBytes()
                && size >= options.compactionGrowthFactor() * journal.lastSnapshotSize();
    }

    private boolean unsynced() {
        try {
            return journal.hasUnsyncedBytes();
        } catch (IOException e) {
            return true;
        }
    }

    private void syncIfBatchIntervalPassed() {
        if (options.durability() != Durability.FSYNC_BATCHED || failure != null) {
            return;
        }
        if (System.nanoTime() - lastSyncNanos >= options.batchInterval().toNanos() && unsynced()) {
            try {
                sync();
            } catch (IOException e) {
                fail(List.of(), new UncheckedIOException("journal fsync failed in " + dir.path(), e));
            }
        }
    }

    private void sync() throws IOException {
        try {
            journal.sync();
            lastSyncNanos = System.nanoTime();
        } catch (IOException e) {
            // After a failed fsync the kernel may have dropped the dirty pages: nothing written
            // since the last good fsync can be trusted, so the storage stops (fsyncgate).
            failure = new UncheckedIOException("journal fsync failed in " + dir.path(), e);
            throw e;
        }
    }

    private void dispatchEffects() {
        if (effects.isEmpty()) {
            return;
        }
        if (effects.reloaded) {
            signals.values().forEach(WorkSignal::signalAll);
            notifier.resubscribed();
        }
        effects.newWork.forEach((queue, jobs) -> {
            WorkSignal signal = signals.get(queue);
            if (signal != null) {
                signal.signal(jobs);
            }
        });
        notifier.publish(effects.terminal);
        effects.clear();
    }

    private void fail(List<Task<?>> batch, RuntimeException error) {
        effects.clear();
        if (error instanceof CorruptJournalException || error instanceof UncheckedIOException) {
            failure = error;
        }
        for (Task<?> task : batch) {
            task.done.completeExceptionally(error);
        }
        if (failure != null) {
            signals.values().forEach(WorkSignal::signalAll);
        }
    }

    private void drainClosed() {
        if (!thread.isAlive()) {
            Task<?> task;
            while ((task = inbox.poll()) != null) {
                task.done.completeExceptionally(new IllegalStateException("FileStorage at " + dir.path() + " is closed"));
            }
        }
    }

    private void finalSync() {
        if (failure == null && unsynced()) {
            try {
                journal.sync();
            } catch (IOException e) {
                LOG.error("final journal fsync failed in {}", dir.path(), e);
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        inbox.add(new Task<Void>(false, false, t -> null));
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drainClosed();
        signals.values().forEach(WorkSignal::signalAll);
    }
}
