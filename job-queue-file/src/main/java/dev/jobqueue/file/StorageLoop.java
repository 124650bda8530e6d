package dev.jobqueue.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * <p>Compaction only rotates the journal here (a few milliseconds under the lock); the snapshot
 * is encoded, written and fsynced by a third thread from an image of the index, so callers do not
 * wait for it (see {@link Journal#rotate}).
 *
 * <p>Doing all file I/O on these threads also means a caller's interrupt can never close a
 * journal channel (NIO closes a channel when a thread blocked in it is interrupted).
 */
final class StorageLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StorageLoop.class);
    private static final int MAX_BATCH = 4096;
    private static final long COMPACTION_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

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
    private final ExecutorService snapshotWriter;
    /** The snapshot being written or awaiting cleanup, else null; the loop thread's (and close's once it ended). */
    private SnapshotInFlight snapshot;
    private volatile RuntimeException failure;
    /** After a failed compaction: {@link System#nanoTime()} before which no automatic one starts; 0 = none pending. */
    private long nextAutomaticCompaction;

    /** A snapshot handed to the writer thread; {@code finished} once the generations it replaces are deleted. */
    private record SnapshotInFlight(long generation, CompletableFuture<Long> written, CompletableFuture<Void> finished) {
    }

    /** One operation: {@code durable} ones return only once their records are fsynced (FSYNC_EACH). */
    private static final class Task<T> {
        final boolean durable;
        final boolean compact;
        final Function<Transitions, T> body;
        final CompletableFuture<T> done = new CompletableFuture<>();
        T result;
        RuntimeException error;
        /** For compact tasks: the snapshot this task started, or one that was in flight already. */
        CompletableFuture<Void> snapshot;
        boolean startedSnapshot;

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
        this.snapshotWriter = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName + "-snapshot");
            t.setDaemon(true);
            return t;
        });
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Runs {@code body} on the loop and waits (uninterruptibly: the operation may already be on disk). */
    <T> T call(boolean durable, Function<Transitions, T> body) {
        return submit(new Task<>(durable, false, body));
    }

    /**
     * Runs {@code body} on the loop without waiting: the future completes when {@link #call} would
     * return (for durable tasks in FSYNC_EACH, once fsynced), on the loop or the sync thread. One
     * caller with many calls in flight thus shares fsyncs like many blocking callers do.
     */
    <T> CompletableFuture<T> callAsync(boolean durable, Function<Transitions, T> body) {
        Task<T> task = new Task<>(durable, false, body);
        enqueue(task);
        return task.done;
    }

    /**
     * Compacts now, regardless of the thresholds, and returns once the snapshot is durable and the
     * generations it replaces are deleted. If another snapshot is being written, waits for it first.
     *
     * @throws UncheckedIOException when the snapshot could not be written (the journal still holds everything)
     */
    void compactNow() {
        while (true) {
            Task<Void> task = new Task<>(true, true, t -> null);
            submit(task);
            try {
                task.snapshot.join();
            } catch (CompletionException e) {
                if (task.startedSnapshot) {
                    throw e.getCause() instanceof RuntimeException r ? r : e;
                }
            }
            if (task.startedSnapshot) {
                return;
            }
        }
    }

    private void enqueue(Task<?> task) {
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException("storage operation called from the storage loop thread");
        }
        checkUsable();
        inbox.add(task);
        if (closed) {
            drainClosed();
        }
    }

    private <T> T submit(Task<T> task) {
        enqueue(task);
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
            IllegalStateException failed = new IllegalStateException("FileStorage at " + dir.path()
                    + " failed and must be reopened", failure);
            abandonSnapshot(failed);
            fail(batch, failed);
            return;
        }
        boolean compact = false;
        try {
            catchUpQueued.set(false); // every batch catches up
            StorageDirectory.DirectoryLock lock = dir.lockExclusive();
            try {
                journal.catchUp(clock.instant());
                finishWrittenSnapshot();
                transitions.sweepExpired(clock.instant());
                for (Task<?> task : batch) {
                    run(task);
                    compact |= task.compact;
                }
                appendOrRecover(batch);
                if (compact || compactionDue()) {
                    startCompaction(batch);
                } else {
                    limitJournalGrowth();
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
        List<String> resumed = List.copyOf(effects.resumed);
        effects.clear();
        resumed.forEach(queue -> {
            WorkSignal signal = signals.get(queue);
            if (signal != null) {
                signal.signalAll();
            }
        });
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

    /**
     * Rotates the journal and hands the snapshot to the writer thread, unless a snapshot is still
     * being written: then compact tasks of this batch get that one to wait for, and try again.
     */
    private void startCompaction(List<Task<?>> batch) throws IOException {
        boolean started = false;
        if (snapshot == null) {
            Journal.PendingSnapshot pending;
            try {
                pending = journal.rotate(clock.instant());
            } catch (Journal.CompactionFailedException e) {
                compactionFailed(batch, e);
                return;
            }
            nextAutomaticCompaction = 0;
            CompletableFuture<Long> written = CompletableFuture.supplyAsync(() -> writeSnapshot(pending), snapshotWriter);
            // Wake the loop so that an idle storage also deletes the replaced generations soon.
            written.whenComplete((size, error) -> requestCatchUp());
            snapshot = new SnapshotInFlight(pending.generation(), written, new CompletableFuture<>());
            started = true;
        }
        for (Task<?> task : batch) {
            if (task.compact) {
                task.snapshot = snapshot.finished();
                task.startedSnapshot = started;
            }
        }
    }

    /**
     * A new generation could not be started (typically a full disk): nothing changed on disk, the
     * batch's records are written as usual, {@code compact()} callers get the error, and automatic
     * compaction waits a little before trying again, so a full disk does not make every batch retry.
     */
    private void compactionFailed(List<Task<?>> batch, Journal.CompactionFailedException e) {
        LOG.warn("compaction of {} failed; the journal keeps everything, the storage goes on and compaction is "
                + "tried again later", dir.path(), e);
        nextAutomaticCompaction = System.nanoTime() + COMPACTION_RETRY_NANOS;
        UncheckedIOException failed = new UncheckedIOException("compaction of " + dir.path() + " failed", e);
        for (Task<?> task : batch) {
            if (task.compact) {
                task.snapshot = CompletableFuture.failedFuture(failed);
                task.startedSnapshot = true;
            }
        }
    }

    /**
     * On the writer thread: writes the snapshot. A failure costs only disk space (the journal
     * chain holds everything), so it is logged, the next compaction tries again and the storage goes on.
     */
    private long writeSnapshot(Journal.PendingSnapshot pending) {
        try {
            return journal.writeSnapshot(pending);
        } catch (IOException | RuntimeException e) {
            if (e instanceof NoSuchFileException && supersededSnapshot(pending.generation())) {
                // Another process finished a later compaction first and deleted our temp file.
                LOG.debug("snapshot of generation {} in {} superseded by a later one", pending.generation(), dir.path());
            } else {
                LOG.warn("writing the snapshot of generation {} in {} failed; the journal keeps everything and a "
                        + "later compaction tries again", pending.generation(), dir.path(), e);
            }
            throw new CompletionException(e instanceof IOException io
                    ? new UncheckedIOException("writing a snapshot in " + dir.path() + " failed", io) : e);
        }
    }

    private boolean supersededSnapshot(long generation) {
        try {
            return dir.newestSnapshotGeneration() > generation;
        } catch (IOException e) {
            return false;
        }
    }

    /** Releases whoever waits for the snapshot in flight when the storage can no longer finish it. */
    private void abandonSnapshot(RuntimeException reason) {
        SnapshotInFlight abandoned = snapshot;
        if (abandoned != null) {
            abandoned.finished().completeExceptionally(reason);
        }
    }

    /**
     * Once the writer is done, deletes what its snapshot replaces; here, under the lock the loop
     * holds anyway, because the writer taking the lock itself could starve behind a busy loop.
     */
    private void finishWrittenSnapshot() {
        SnapshotInFlight done = snapshot;
        if (done == null || !done.written().isDone()) {
            return;
        }
        snapshot = null;
        try {
            journal.snapshotWritten(done.generation(), done.written().join());
            done.finished().complete(null);
        } catch (CompletionException e) {
            done.finished().completeExceptionally(e.getCause());
        } catch (IOException e) {
            LOG.warn("deleting the generations before {} in {} failed; the next compaction tries again",
                    done.generation(), dir.path(), e);
            done.finished().completeExceptionally(new UncheckedIOException(e));
        }
    }

    private boolean compactionDue() throws IOException {
        return snapshot == null && journal.size() >= compactionTrigger()
                && (nextAutomaticCompaction == 0 || System.nanoTime() - nextAutomaticCompaction >= 0);
    }

    private double compactionTrigger() {
        return Math.max(options.compactionThresholdBytes(), options.compactionGrowthFactor() * journal.lastSnapshotSize());
    }

    /**
     * Back-pressure for a writer that falls far behind (slow disk, huge state): once the new
     * journal has grown to twice the compaction trigger, the loop waits for the snapshot, so
     * disk use stays bounded by about three journals of that size plus two snapshots.
     */
    private void limitJournalGrowth() throws IOException {
        SnapshotInFlight running = snapshot;
        if (running != null && !running.written().isDone() && journal.size() >= 2 * compactionTrigger()) {
            LOG.debug("journal of {} outgrew the snapshot being written; waiting for it", dir.path());
            try {
                running.written().join();
            } catch (CompletionException e) {
                // finishWrittenSnapshot reports it
            }
            finishWrittenSnapshot();
        }
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
            abandonSnapshot(error);
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
        finishSnapshot();
        syncer.close();
        signals.values().forEach(WorkSignal::signalAll);
    }

    /** Lets a snapshot being written finish and cleans up after it, so that closing never leaves it half done. */
    private void finishSnapshot() {
        snapshotWriter.shutdown();
        try {
            if (!snapshotWriter.awaitTermination(60, TimeUnit.SECONDS)) {
                LOG.warn("the snapshot being written in {} did not finish within 60 s of close", dir.path());
                abandonSnapshot(new IllegalStateException("FileStorage at " + dir.path() + " closed"));
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandonSnapshot(new IllegalStateException("FileStorage at " + dir.path() + " closed"));
            return;
        }
        if (snapshot == null || thread.isAlive()) {
            return;
        }
        try {
            StorageDirectory.DirectoryLock lock = dir.lockExclusive();
            try {
                finishWrittenSnapshot();
            } finally {
                lock.close();
            }
        } catch (IOException e) {
            LOG.warn("cleaning up after the last snapshot in {} failed", dir.path(), e);
        }
    }
}
