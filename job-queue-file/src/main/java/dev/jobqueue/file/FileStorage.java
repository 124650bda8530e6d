package dev.jobqueue.file;

import dev.jobqueue.CancelResult;
import dev.jobqueue.DeleteResult;
import dev.jobqueue.JobError;
import dev.jobqueue.JobState;
import dev.jobqueue.ListOrder;
import dev.jobqueue.PromoteResult;
import dev.jobqueue.QueueLimits;
import dev.jobqueue.RetryResult;
import dev.jobqueue.TtlUpdateResult;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.Completion;
import dev.jobqueue.spi.EnqueueOutcome;
import dev.jobqueue.spi.FinishedTotals;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.NewJob;
import dev.jobqueue.spi.ScheduleRecord;
import dev.jobqueue.spi.SnapshotPage;
import dev.jobqueue.spi.StalledJob;
import dev.jobqueue.spi.Storage;
import dev.jobqueue.spi.Subscription;
import dev.jobqueue.spi.TerminalListener;
import dev.jobqueue.spi.TransitionOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A crash-safe {@link Storage} in one local directory: an append-only journal of job records
 * (length-prefixed, CRC32C-checked), compacted into snapshots, replayed into an in-memory index
 * on open. For single-host deployments that must not lose jobs and cannot run a server.
 *
 * <!-- snippet: file-storage -->
 * <pre>{@code
 * try (FileStorage storage = FileStorage.open(Path.of("/var/lib/myapp/jobs"))) {
 *     Queue<Order, Receipt> queue = Queue.builder(storage, Order.class, Receipt.class).name("orders").build();
 *     // ...
 * }
 * }</pre>
 *
 * <p>Guarantees (details, the exact on-disk format and the multi-process rules are in the
 * module's {@code README.md}, section "On-disk format", which is the one place they are written):
 * <ul>
 *   <li>With {@link Durability#FSYNC_EACH} (the default) every acknowledged enqueue and every
 *       acknowledged completion, failure, retry, release, cancel and TTL change, and every
 *       operator retry, delete, purge, promote and pause change, survives a crash of the process
 *       or of the machine. Concurrent callers share fsyncs (group commit); {@code retryAll} and
 *       {@code purge} write all jobs of one call with one append and one fsync.</li>
 *   <li>A queue's pause flag is a journal record: it survives restarts and is shared by every
 *       process and instance on the directory.</li>
 *   <li>So are its limits ({@link #setLimits}) and recurring schedules (upserts, advances and
 *       removals are fsynced like an enqueue); a claim checks the limits in the same step that
 *       takes the jobs, under the directory lock. The rate window and a {@link #throttle} are
 *       shared by every process too, but a restart may forget part of the window, and a power
 *       loss a throttle.</li>
 *   <li>A torn tail (the writer died mid-append) is cut off on the next open or catch-up with a
 *       logged warning; a corrupt record followed by valid ones stops with
 *       {@link CorruptJournalException} naming the file and offset.</li>
 *   <li>Several processes on one host may open the same directory (rolling restarts): every
 *       decision is made under an exclusive OS file lock after reading what the others appended,
 *       so a job is never claimed by two live workers.</li>
 *   <li>A journal or snapshot that was deleted or lost is detected: {@link #open} refuses with
 *       {@link MissingGenerationException} naming it, instead of opening with fewer jobs. A full
 *       disk fails the calls that must write, never the directory: once space returns the
 *       storage goes on, and the directory reopens with every acknowledged job.</li>
 *   <li>Job ids and queue names are record data (any valid UTF-16 string, stored as UTF-8); they
 *       never become file names.</li>
 * </ul>
 */
public final class FileStorage implements Storage {
    private static final long SAFETY_NET_NANOS = DirectoryWatcher.SAFETY_NET_MILLIS * 1_000_000L;

    private final StorageDirectory dir;
    private final Journal journal;
    private final StorageLoop loop;
    private final TerminalNotifier notifier;
    private final DirectoryWatcher watcher;
    private final Clock clock;

    private FileStorage(StorageDirectory dir, Journal journal, StateIndex state, FileStorageOptions options) {
        this.dir = dir;
        this.journal = journal;
        this.clock = options.clock();
        String name = dir.path().getFileName() == null ? "root" : dir.path().getFileName().toString();
        this.notifier = new TerminalNotifier("jq-file-notify-" + name);
        this.loop = new StorageLoop(dir, journal, state, options, notifier, "jq-file-journal-" + name);
        this.watcher = new DirectoryWatcher(dir.path(), journal::foreignBytesPending, loop::requestCatchUp,
                () -> {
                    loop.requestCatchUp();
                    notifier.resubscribed();
                }, "jq-file-watch-" + name);
    }

    /**
     * Opens (creating if needed) the storage in {@code dir} with default options; see
     * {@link #open(Path, FileStorageOptions)} for recovery and the exceptions thrown.
     *
     * @param dir the storage directory; every process sharing the storage opens the same one
     * @return the open storage, to be closed when no longer used
     */
    public static FileStorage open(Path dir) {
        return open(dir, FileStorageOptions.defaults());
    }

    /**
     * Opens (creating if needed, owner-only) the storage in {@code dir}: loads the newest
     * snapshot, replays the journal after it, cuts a torn tail.
     *
     * @param dir     the storage directory; every process sharing the storage opens the same one
     * @param options durability, clock and compaction settings of this process's storage
     * @return the open storage, to be closed when no longer used
     * @throws CorruptJournalException   when a record in the middle of the journal is damaged
     * @throws MissingGenerationException when a journal or snapshot the state runs through is missing
     * @throws UncheckedIOException       when the directory cannot be created, read or written; the
     *                                    message names the cause (permissions and owner, a parent
     *                                    that is not a directory, a full or read-only file system)
     * @throws IllegalArgumentException   when {@code dir} is an existing regular file, or an argument is null
     */
    public static FileStorage open(Path dir, FileStorageOptions options) {
        if (dir == null) {
            throw new IllegalArgumentException("dir must not be null");
        }
        if (options == null) {
            throw new IllegalArgumentException("options must not be null");
        }
        StorageDirectory directory = null;
        Journal journal = null;
        try {
            directory = StorageDirectory.open(dir);
            StateIndex state = new StateIndex();
            journal = new Journal(directory, state);
            StorageDirectory.DirectoryLock lock = directory.lockExclusive();
            try {
                journal.recover(options.clock().instant());
                journal.upgradeFormat(options.clock().instant());
            } finally {
                lock.close();
            }
            return new FileStorage(directory, journal, state, options);
        } catch (IOException e) {
            closeQuietly(journal, directory);
            throw new UncheckedIOException("cannot open file storage in " + dir + ": " + OpenFailure.explain(e), e);
        } catch (RuntimeException | Error e) {
            closeQuietly(journal, directory);
            throw e;
        }
    }

    /**
     * The storage directory.
     *
     * @return the directory's absolute path
     */
    public Path directory() {
        return dir.path();
    }

    /**
     * Starts a new journal generation now and returns once its snapshot is durable and the files
     * it replaces are deleted (normally automatic, in the background).
     *
     * @throws UncheckedIOException when the snapshot could not be written; nothing is lost, the
     *                              journal still holds everything
     */
    public void compact() {
        loop.compactNow();
    }

    @Override
    public EnqueueOutcome enqueue(String queue, NewJob job) {
        RecordCodec.requireEncodable(queue, "queue");
        checkJob(job);
        return loop.call(true, t -> t.enqueue(queue, job, now()));
    }

    /** Queued to the storage loop without waiting; the future completes once the job is fsynced (FSYNC_EACH). */
    @Override
    public CompletableFuture<EnqueueOutcome> enqueueAsync(String queue, NewJob job) {
        RecordCodec.requireEncodable(queue, "queue");
        checkJob(job);
        return loop.callAsync(true, t -> t.enqueue(queue, job, now()));
    }

    @Override
    public List<EnqueueOutcome> enqueueBatch(String queue, List<NewJob> jobs) {
        RecordCodec.requireEncodable(queue, "queue");
        jobs.forEach(FileStorage::checkJob);
        if (jobs.isEmpty()) {
            return List.of();
        }
        return loop.call(true, t -> {
            Instant now = now();
            List<EnqueueOutcome> outcomes = new ArrayList<>(jobs.size());
            for (NewJob job : jobs) {
                outcomes.add(t.enqueue(queue, job, now));
            }
            return outcomes;
        });
    }

    @Override
    public List<ClaimedJob> claim(String queue, String workerId, int max, Duration lease, Duration maxWait)
            throws InterruptedException {
        WorkSignal signal = loop.signal(queue);
        long start = System.nanoTime();
        long maxWaitNanos = saturatedNanos(maxWait);
        while (true) {
            long seen = signal.generation();
            ClaimAttempt attempt = loop.call(false, t -> t.claim(queue, workerId, max, lease, now()));
            if (!attempt.jobs().isEmpty()) {
                return attempt.jobs();
            }
            long remaining = maxWaitNanos - (System.nanoTime() - start);
            if (remaining <= 0 || Thread.currentThread().isInterrupted()) {
                return List.of();
            }
            long wait = Math.min(remaining, SAFETY_NET_NANOS); // also bounds the re-check of a claim held by maxRunning
            if (attempt.nextDue() != null) {
                wait = Math.min(wait, Math.max(1, saturatedNanos(Duration.between(now(), attempt.nextDue()))));
            }
            try {
                signal.await(seen, wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
    }

    @Override
    public List<String> extend(String queue, List<LeaseRef> leases, Duration lease) {
        if (leases.isEmpty()) {
            return List.of();
        }
        return loop.call(false, t -> t.extend(queue, leases, lease, now()));
    }

    @Override
    public TransitionOutcome complete(String queue, LeaseRef lease, byte[] result, Duration resultTtl) {
        return loop.call(true, t -> t.complete(queue, lease, result, resultTtl, now()));
    }

    /**
     * Decides every completion of the batch in one step on the storage loop, in input order (so a
     * claim given twice is applied once), and writes their records with one append: with
     * {@link Durability#FSYNC_EACH} the caller waits for one fsync for the whole batch instead of
     * one per job. Terminal listeners hear of each job once that fsync is done.
     */
    @Override
    public List<TransitionOutcome> completeAll(String queue, List<Completion> completions) {
        if (completions.isEmpty()) {
            return List.of();
        }
        List<Completion> batch = List.copyOf(completions);
        return loop.call(true, t -> {
            Instant now = now();
            List<TransitionOutcome> outcomes = new ArrayList<>(batch.size());
            for (Completion c : batch) {
                outcomes.add(t.complete(queue, c.lease(), c.result(), c.resultTtl(), now));
            }
            return outcomes;
        });
    }

    @Override
    public TransitionOutcome fail(String queue, LeaseRef lease, JobError error, Duration resultTtl) {
        return loop.call(true, t -> t.fail(queue, lease, error, resultTtl, now()));
    }

    @Override
    public TransitionOutcome retry(String queue, LeaseRef lease, Duration backoff, JobError lastError) {
        return loop.call(true, t -> t.retry(queue, lease, backoff, lastError, now()));
    }

    @Override
    public TransitionOutcome release(String queue, LeaseRef lease) {
        return loop.call(true, t -> t.release(queue, lease, false, now()));
    }

    @Override
    public TransitionOutcome unclaim(String queue, LeaseRef lease) {
        return loop.call(true, t -> t.release(queue, lease, true, now()));
    }

    /** One JOB record (DELAYED, the attempt taken back), fsynced like {@code retry}. */
    @Override
    public TransitionOutcome snooze(String queue, LeaseRef lease, Duration delay) {
        return loop.call(true, t -> t.snooze(queue, lease, delay, now()));
    }

    @Override
    public List<StalledJob> requeueExpired(String queue, int limit) {
        return loop.call(true, t -> t.requeueExpired(queue, limit, now()));
    }

    /**
     * One JOB record (CANCELLED), fsynced. A PROCESSING job's lease ends in the same record; terminal
     * listeners of every process on the directory hear of every cancelled job (this storage
     * notifies every terminal change), so the worker running it can interrupt its handler.
     */
    @Override
    public CancelResult cancel(String queue, String jobId) {
        return loop.call(true, t -> t.cancel(queue, jobId, now()));
    }

    @Override
    public Optional<JobSnapshot> status(String queue, String jobId) {
        return loop.call(false, t -> t.status(queue, jobId, now()));
    }

    @Override
    public TtlUpdateResult updateResultTtl(String queue, String jobId, Duration ttl) {
        return loop.call(true, t -> t.updateResultTtl(queue, jobId, ttl, now()));
    }

    @Override
    public Map<JobState, Long> counts(String queue) {
        return loop.call(false, t -> t.counts(queue, now()));
    }

    @Override
    public List<String> list(String queue, JobState state, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, was " + limit);
        }
        return loop.call(false, t -> t.list(queue, state, limit, now()));
    }

    /** Reads the caught-up index; the cursor is a keyset cursor (see the module README, "Operations"). */
    @Override
    public SnapshotPage listJobs(String queue, JobState state, ListOrder order, String cursor, int limit) {
        requireArgument(state != null, "state must not be null");
        requireArgument(order != null, "order must not be null");
        requireArgument(cursor == null || !cursor.isEmpty(), "cursor must not be empty (null starts at the first page)");
        requireArgument(limit >= 1, "limit must be >= 1, got " + limit);
        return loop.call(false, t -> t.listJobs(queue, state, order, cursor, limit, now()));
    }

    @Override
    public RetryResult retryJob(String queue, String jobId) {
        return loop.call(true, t -> t.retryJob(queue, jobId, now()));
    }

    /** All retried jobs' records go out in one append and share one fsync. */
    @Override
    public int retryAll(String queue, JobState state, int limit) {
        requireArgument(state == JobState.FAILED || state == JobState.CANCELLED,
                "state must be FAILED or CANCELLED, got " + state);
        requireArgument(limit >= 1, "limit must be >= 1, got " + limit);
        return loop.call(true, t -> t.retryAll(queue, state, limit, now()));
    }

    @Override
    public DeleteResult deleteJob(String queue, String jobId) {
        return loop.call(true, t -> t.deleteJob(queue, jobId, now()));
    }

    /** All deletions go out in one append and share one fsync. */
    @Override
    public int purge(String queue, JobState state, int limit) {
        requireArgument(state != null && state != JobState.PROCESSING,
                "state must not be null or PROCESSING (running jobs cannot be purged), got " + state);
        requireArgument(limit >= 1, "limit must be >= 1, got " + limit);
        return loop.call(true, t -> t.purge(queue, state, limit, now()));
    }

    @Override
    public PromoteResult promote(String queue, String jobId) {
        return loop.call(true, t -> t.promote(queue, jobId, now()));
    }

    /**
     * A PAUSE record in the journal: durable like an enqueue, and seen by every process on the
     * directory at its next call (claimers of other processes wake through the directory watcher).
     */
    @Override
    public boolean setPaused(String queue, boolean paused) {
        RecordCodec.requireEncodable(queue, "queue");
        return loop.call(true, t -> t.setPaused(queue, paused));
    }

    @Override
    public boolean isPaused(String queue) {
        return loop.call(false, t -> t.isPaused(queue));
    }

    /**
     * A LIMITS record in the journal, fsynced: durable, and seen by every process on the directory at
     * its next call. Claims check both limits on the caught-up index under the directory lock, so
     * claimers of all processes together stay within them. The rate window is the claim times of the
     * queue's claim records as this process applied them (decided here or replayed from the others'
     * appends), kept in memory: after a restart it holds only the claims still in the journal or still
     * running in the snapshot, so a restart may forget claims made within the last rate period. A
     * claim held back by {@code maxRunning} is woken when a job of the queue stops running (here or, through
     * the directory watcher, in another process), one held back by the rate sleeps until the window
     * frees a slot; both re-check at least every 250 ms.
     */
    @Override
    public void setLimits(String queue, QueueLimits limits) {
        RecordCodec.requireEncodable(queue, "queue");
        loop.call(true, t -> {
            t.setLimits(queue, limits);
            return null;
        });
    }

    @Override
    public QueueLimits limits(String queue) {
        return loop.call(false, t -> t.limits(queue));
    }

    /**
     * A THROTTLE record in the journal, not fsynced on its own (like a claim): every process on the
     * directory sees it at its next call, and a process that restarts keeps it when the record or a
     * later snapshot reached the disk, but a power loss may forget it (the SPI allows a throttle not
     * to survive a restart). Claims held back sleep until the throttle ends.
     */
    @Override
    public Instant throttle(String queue, Duration duration) {
        RecordCodec.requireEncodable(queue, "queue");
        return loop.call(false, t -> t.throttle(queue, duration, now()));
    }

    /** A SCHEDULE record (with the definition), fsynced; none when the definition is unchanged. */
    @Override
    public ScheduleRecord upsertSchedule(String queue, String scheduleId, byte[] definition, Instant nextFireAt) {
        RecordCodec.requireEncodable(queue, "queue");
        RecordCodec.requireEncodable(scheduleId, "scheduleId");
        byte[] copy = definition.clone();
        return loop.call(true, t -> t.upsertSchedule(queue, scheduleId, copy, nextFireAt));
    }

    /** An UNSCHEDULE record, fsynced; none when the schedule does not exist. */
    @Override
    public boolean removeSchedule(String queue, String scheduleId) {
        return loop.call(true, t -> t.removeSchedule(queue, scheduleId));
    }

    /** From the in-memory index: no disk read of its own. */
    @Override
    public List<ScheduleRecord> listSchedules(String queue) {
        return loop.call(false, t -> t.listSchedules(queue));
    }

    /** From the in-memory index ordered by fire time: reads only the due schedules, no disk read of its own. */
    @Override
    public List<ScheduleRecord> dueSchedules(String queue, int limit) {
        return loop.call(false, t -> t.dueSchedules(queue, limit, now()));
    }

    /** An ADVANCE record (fire time and version, not the definition), fsynced; none when the version does not match. */
    @Override
    public boolean advanceSchedule(String queue, String scheduleId, long expectedVersion, Instant nextFireAt) {
        return loop.call(true, t -> t.advanceSchedule(queue, scheduleId, expectedVersion, nextFireAt));
    }

    /** From the in-memory index, after catching up with the journal: no disk read of its own. */
    @Override
    public List<String> queueNames() {
        return loop.call(false, t -> t.queueNames(now()));
    }

    /** Durable counters, rebuilt on recovery from the snapshot and the journal replayed after it. */
    @Override
    public FinishedTotals finishedTotals(String queue) {
        return loop.call(false, t -> t.finishedTotals(queue));
    }

    @Override
    public Subscription subscribe(String queue, TerminalListener listener) {
        return notifier.subscribe(queue, listener);
    }

    @Override
    public boolean acquireLock(String queue, String lock, String owner, Duration ttl) {
        return loop.call(false, t -> t.acquireLock(queue, lock, owner, ttl, now()));
    }

    @Override
    public boolean renewLock(String queue, String lock, String owner, Duration ttl) {
        return loop.call(false, t -> t.renewLock(queue, lock, owner, ttl, now()));
    }

    @Override
    public boolean releaseLock(String queue, String lock, String owner) {
        return loop.call(false, t -> t.releaseLock(queue, lock, owner, now()));
    }

    /** Stops the watcher and the journal thread (fsyncing what is written), then releases the files. */
    @Override
    public void close() {
        watcher.close();
        loop.close();
        notifier.close();
        try {
            journal.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing the journal of " + dir.path(), e);
        } finally {
            closeQuietly(dir);
        }
    }

    /** The storage's now, at the millisecond precision every stored time has. */
    private Instant now() {
        return Instant.ofEpochMilli(clock.millis());
    }

    private static void closeQuietly(AutoCloseable... resources) {
        for (AutoCloseable resource : resources) {
            if (resource != null) {
                try {
                    resource.close();
                } catch (Exception ignored) {
                    // the open failed already; release what can be released
                }
            }
        }
    }

    private static void requireArgument(boolean valid, String message) {
        if (!valid) {
            throw new IllegalArgumentException(message);
        }
    }

    private static void checkJob(NewJob job) {
        // Checked here too, not only when encoding: one bad id must not leave half a batch written.
        RecordCodec.requireEncodable(job.id(), "id");
        job.metadata().forEach((key, value) -> {
            RecordCodec.requireEncodable(key, "metadata key");
            RecordCodec.requireEncodable(value, "metadata value");
        });
        if ((long) job.payload().length + job.id().length() * 3L > RecordCodec.MAX_BODY / 2) {
            throw new IllegalArgumentException("payload of " + job.payload().length + " bytes is too large for a journal record");
        }
    }


    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}
