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
 * release the lock. Reads, claims and lease extensions are answered at once; durable calls wait
 * for the {@link JournalSyncer}, whose one fsync covers every batch written before it started
 * (group commit), while this thread goes on with the next batch.
 *
 * <p>Doing all file I/O on these two threads also means a caller's interrupt can never close the
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
    private final JournalSyncer syncer;
    private volatile RuntimeException failure;

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
        this.syncer = new JournalSyncer(journal, options, error -> failure = error, threadName + "-sync");
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
                Task<?> first = inbox.poll(500, TimeUnit.MILLISECONDS);
                if (first == null) {
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
    }

    private void runBatch(List<Task<?>> batch) {
        if (failure != null) {
            fail(batch, new IllegalStateException("FileStorage at " + dir.path() + " failed and must be reopened",
                    failure));
            return;
        }
        boolean compact = false;
        try {
            catchUpQueued.set(false); // every batch catches up
            StorageDirectory.DirectoryLock lock = dir.lockExclusive();
            try {
                journal.catchUp(clock.instant());
                transitions.sweepExpired(clock.instant());
                for (Task<?> task : batch) {
                    run(task);
                    compact |= task.compact;
                }
                appendOrRecover(batch);
                if (compact || compactionDue()) {
                    journal.compact(clock.instant());
                }
            } finally {
                lock.close();
            }
        } catch (IOException e) {
            fail(batch, new UncheckedIOException("journal I/O failed in " + dir.path(), e));
            return;
        } catch (CorruptJournalException e) {
            fail(batch, e);
            return;
        }
        syncer.written();
        finishOrAwaitDurability(batch);
    }

    /**
     * Answers reads, claims and lease extensions at once (they need no fsync of their own, see
     * {@link Durability#FSYNC_EACH}), wakes claimers for new work, and leaves durable calls and
     * terminal notifications to the syncer: they are released only once the batch is on disk.
     */
    private void finishOrAwaitDurability(List<Task<?>> batch) {
        List<JobRecord> terminal = List.copyOf(effects.terminal);
        boolean reloaded = effects.reloaded;
        Map<String, Integer> newWork = Map.copyOf(effects.newWork);
        effects.clear();
        if (reloaded) {
            signals.values().forEach(WorkSignal::signalAll);
            notifier.resubscribed();
        }
        newWork.forEach((queue, jobs) -> {
            WorkSignal signal = signals.get(queue);
            if (signal != null) {
                signal.signal(jobs);
            }
        });
        List<Task<?>> durable = new ArrayList<>();
        for (Task<?> task : batch) {
            if (task.durable && options.durability() == Durability.FSYNC_EACH) {
                durable.add(task);
            } else {
                task.finish();
            }
        }
        if (durable.isEmpty()) {
            notifier.publish(terminal);
            return;
        }
        syncer.whenDurable(new JournalSyncer.Request() {
            @Override
            public void durable() {
                durable.forEach(Task::finish);
                notifier.publish(terminal);
            }

            @Override
            public void failed(RuntimeException error) {
                durable.forEach(task -> task.done.completeExceptionally(error));
            }
        });
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
        syncer.close();
        signals.values().forEach(WorkSignal::signalAll);
    }
}
