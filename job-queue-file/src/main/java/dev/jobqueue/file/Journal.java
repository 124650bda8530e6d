package dev.jobqueue.file;

import dev.jobqueue.QueueLimits;
import dev.jobqueue.file.RecordCodec.AdvanceEntry;
import dev.jobqueue.file.RecordCodec.DeleteEntry;
import dev.jobqueue.file.RecordCodec.Entry;
import dev.jobqueue.file.RecordCodec.JobEntry;
import dev.jobqueue.file.RecordCodec.LimitsEntry;
import dev.jobqueue.file.RecordCodec.LockEntry;
import dev.jobqueue.file.RecordCodec.PauseEntry;
import dev.jobqueue.file.RecordCodec.RecordBuffer;
import dev.jobqueue.file.RecordCodec.RotateEntry;
import dev.jobqueue.file.RecordCodec.ScheduleEntry;
import dev.jobqueue.file.RecordCodec.ThrottleEntry;
import dev.jobqueue.file.RecordCodec.UnlockEntry;
import dev.jobqueue.file.RecordCodec.UnscheduleEntry;
import dev.jobqueue.spi.ScheduleRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal of one directory as this process sees it: recovery on open, catching up with
 * records other processes appended, appending this process's records, fsync, and compaction
 * into a new generation. Every method runs on the storage loop thread while it holds the
 * directory lock, except {@link #sync} (the syncer thread) and {@link #foreignBytesPending}
 * (the directory watcher).
 *
 * <p>Compaction protocol: under the directory lock, create the empty {@code journal-(g+1)}, then
 * append {@code ROTATE(g+1)} to journal {@code g}, fsync it and take an image of the index
 * ({@link #rotate}); then, on another thread and without the lock, write {@code snapshot-(g+1)}
 * via temp file + fsync + rename; then, under the lock again, delete generation {@code g}
 * ({@link #snapshotWritten}). Until the snapshot is complete the state is the chain
 * {@code snapshot-g + journal-g + journal-(g+1)}, which every reader follows through the ROTATE
 * record; nothing is deleted before the snapshot that replaces it is durable. Which files may be
 * absent after a crash, and which absent files are damage, is decided by {@link Generations}.
 */
final class Journal implements Changes, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);

    private final StorageDirectory dir;
    private final StateIndex state;
    private final RecordBuffer pending = new RecordBuffer();
    /** Guards switching {@link #current} against a concurrent fsync on the syncer thread. */
    private final Object fileSwitch = new Object();
    private volatile JournalFile current;
    private BatchEffects effects;
    private long pendingRotation;
    /** The time of the latest catch-up (the batch's now), for what replayed and local deletions tell listeners. */
    private Instant replayTime;
    private volatile long lastSnapshotSize;
    private volatile long publishedGeneration;
    private volatile long publishedEnd;

    Journal(StorageDirectory dir, StateIndex state) {
        this.dir = dir;
        this.state = state;
    }

    /** Where effects of applied records go ({@code null}: nobody listens, as during open). */
    void collectInto(BatchEffects batchEffects) {
        this.effects = batchEffects;
    }

    /** Rebuilds the index from the newest snapshot and its journal, cutting a torn tail. */
    void recover(Instant now) throws IOException {
        BatchEffects collecting = effects;
        effects = null; // a reload re-reads everything: none of it is news
        try {
            load(now);
        } finally {
            effects = collecting;
        }
    }

    private void load(Instant now) throws IOException {
        closeCurrent();
        state.clear();
        pending.clear();
        pendingRotation = 0;
        Generations found = Generations.scan(dir);
        long base = found.base();
        lastSnapshotSize = base > 1 ? SnapshotFile.read(dir, base, state) : 0;
        JournalFile journal = JournalFile.openIfWritten(dir, base);
        if (journal == null) {
            found.checkBaseJournalMayBeCreated(base);
            journal = JournalFile.createReplacingEmpty(dir, base);
            dir.syncDirectory(); // before deleting what it replaces
        }
        setCurrent(journal);
        if (base > 1 || current.size() > JournalFile.HEADER) {
            LOG.debug("recovering {} from generation {}", dir.path(), base);
        }
        catchUp(now);
        Generations.scan(dir).dropUnreachedEmptyJournal(current.generation());
        dir.deleteOlderThan(base);
        publish();
    }

    /** Applies every record appended since this process last read, following generation changes. */
    void catchUp(Instant now) throws IOException {
        replayTime = now;
        while (true) {
            long size = current.size();
            if (size < current.end()) {
                LOG.warn("journal {} shrank below what this process had read; reloading from disk", current.path());
                reloadFromDisk(now);
                return;
            }
            if (size > current.end()) {
                readTail(size);
            }
            if (pendingRotation == 0) {
                publish();
                return;
            }
            long next = pendingRotation;
            pendingRotation = 0;
            if (!switchTo(next, now)) {
                return;
            }
        }
    }

    private void readTail(long size) throws IOException {
        JournalFile file = current;
        RecordScanner.Result result = RecordScanner.scan(file.channel(), file.path(), file.end(), size, this::replay);
        file.advanceTo(result.validEnd());
        RecordScanner.Damage damage = result.damage();
        if (damage == null) {
            return;
        }
        if (damage.validRecordsFollow()) {
            throw new CorruptJournalException(file.path(), damage.offset(), damage.reason()
                    + "; valid records follow it, so cutting here would lose acknowledged data");
        }
        LOG.warn("journal {}: cutting a torn tail of {} bytes at offset {} ({}); everything before it is kept",
                file.path(), size - damage.offset(), damage.offset(), damage.reason());
        file.truncate(damage.offset());
    }

    private void replay(Entry entry, long offset) {
        if (pendingRotation != 0) {
            throw new CorruptJournalException(current.path(), offset, "record after a ROTATE record");
        }
        if (entry instanceof JobEntry j) {
            JobRecord job = j.job();
            JobRecord previous = state.find(job.queue()).stored(job.id());
            // (A terminal record may follow a version 1 snapshot that dropped the payload: such a
            // job can no longer be retried, nothing else. A waiting or running job needs it.)
            if (!j.payloadIncluded() && !job.state().isTerminal() && (previous == null || previous.payload() == null)) {
                throw new CorruptJournalException(current.path(), offset, "update of a job whose payload is unknown");
            }
            if (previous != null && (!j.payloadIncluded() || !j.metadataIncluded())) {
                job = job.with(j.payloadIncluded() ? job.payload() : previous.payload(),
                        j.metadataIncluded() ? job.metadata() : previous.metadata());
            }
            apply(previous, job);
        } else if (entry instanceof DeleteEntry d) {
            JobRecord deleted = state.delete(d.queue(), d.id());
            if (deleted != null && effects != null) {
                effects.observeDelete(deleted, replayTime);
            }
        } else if (entry instanceof PauseEntry p) {
            state.applyPause(p.queue(), p.paused());
            if (effects != null) {
                effects.observePause(p.queue(), p.paused());
            }
        } else if (entry instanceof LimitsEntry l) {
            applyLimits(l.queue(), l.limits());
        } else if (entry instanceof ThrottleEntry t) {
            state.applyThrottle(t.queue(), t.until());
        } else if (entry instanceof ScheduleEntry s) {
            state.applySchedule(s.queue(), s.schedule());
        } else if (entry instanceof UnscheduleEntry u) {
            state.removeSchedule(u.queue(), u.id());
        } else if (entry instanceof AdvanceEntry a) {
            if (!state.advanceSchedule(a.queue(), a.id(), a.nextFireAt(), a.version())) {
                throw new CorruptJournalException(current.path(), offset, "advance of an unknown schedule");
            }
        } else if (entry instanceof LockEntry l) {
            state.apply(l.lock());
        } else if (entry instanceof UnlockEntry u) {
            state.removeLock(u.queue(), u.name());
        } else if (entry instanceof RotateEntry r) {
            if (r.nextGeneration() != current.generation() + 1) {
                throw new CorruptJournalException(current.path(), offset,
                        "ROTATE to generation " + r.nextGeneration() + " from " + current.generation());
            }
            pendingRotation = r.nextGeneration();
        } else {
            throw new CorruptJournalException(current.path(), offset, "record type not allowed in a journal: " + entry);
        }
    }

    private void apply(JobRecord previous, JobRecord job) {
        state.countFinished(previous, job);
        state.apply(job);
        if (effects != null) {
            effects.observe(previous, job, state.find(job.queue()).limits().maxRunning() > 0);
        }
    }

    private void applyLimits(String queue, QueueLimits limits) {
        state.applyLimits(queue, limits);
        if (effects != null) {
            effects.resumed.add(queue); // limits may have been raised: claimers held back try again
        }
    }

    /** Moves to generation {@code next} after its ROTATE record; false when a full reload was needed. */
    private boolean switchTo(long next, Instant now) throws IOException {
        long newestSnapshot = dir.newestSnapshotGeneration();
        if (newestSnapshot > next) {
            // Other processes compacted more than once since we last read: generation `next`
            // may be gone, so start over from the newest snapshot.
            LOG.info("{}: generation {} was compacted away before this process read it; reloading from snapshot {}",
                    dir.path(), next, newestSnapshot);
            reloadFromDisk(now);
            return false;
        }
        JournalFile nextFile = JournalFile.openIfWritten(dir, next);
        if (nextFile == null) {
            nextFile = completeRotation(next, newestSnapshot, now);
        }
        setCurrent(nextFile);
        // Only what a complete snapshot replaces may go: the compaction into `next` may still
        // be writing its snapshot, and until then generation `next - 1` is part of the state.
        dir.deleteOlderThan(Math.max(1, dir.newestSnapshotGeneration()));
        return true;
    }

    /**
     * A ROTATE record leads into {@code next} but its journal is absent or header-less: an older
     * build (which wrote the ROTATE before creating the next journal) died in between, or ran out
     * of disk space there. The index now holds exactly the state the ROTATE closes, so this process
     * creates the journal and, as that compaction would have, writes its snapshot; a snapshot that
     * cannot be written costs only disk space, since the chain of journals holds everything.
     */
    private JournalFile completeRotation(long next, long newestSnapshot, Instant now) throws IOException {
        Generations.scan(dir).checkNextJournalMayBeCreated(next);
        LOG.warn("completing the interrupted compaction of {} into generation {}", dir.path(), next);
        JournalFile nextFile = JournalFile.createReplacingEmpty(dir, next);
        try {
            dir.syncDirectory();
            if (newestSnapshot < next) {
                try {
                    lastSnapshotSize = SnapshotFile.write(dir, next, state.image(), now);
                } catch (IOException e) {
                    LOG.warn("writing the snapshot of generation {} in {} failed; the journals keep everything",
                            next, dir.path(), e);
                }
            }
            return nextFile;
        } catch (IOException | RuntimeException e) {
            nextFile.close();
            throw e;
        }
    }

    private void reloadFromDisk(Instant now) throws IOException {
        recover(now);
        if (effects != null) {
            effects.reloaded = true;
        }
    }

    @Override
    public void put(JobRecord job, boolean includePayload) {
        pending.job(job, includePayload);
        apply(state.find(job.queue()).stored(job.id()), job);
    }

    @Override
    public void delete(JobRecord job) {
        pending.delete(job.queue(), job.id());
        state.delete(job.queue(), job.id());
        if (effects != null) {
            effects.observeDelete(job, replayTime);
        }
    }

    @Override
    public void setPaused(String queue, boolean paused) {
        pending.pause(queue, paused);
        state.applyPause(queue, paused);
        if (effects != null) {
            effects.observePause(queue, paused);
        }
    }

    @Override
    public void setLimits(String queue, QueueLimits limits) {
        pending.limits(queue, limits);
        applyLimits(queue, limits);
    }

    @Override
    public void throttle(String queue, Instant until) {
        pending.throttle(queue, until);
        state.applyThrottle(queue, until);
    }

    @Override
    public void putSchedule(String queue, ScheduleRecord schedule) {
        pending.schedule(queue, schedule);
        state.applySchedule(queue, schedule);
    }

    @Override
    public void removeSchedule(String queue, String id) {
        pending.unschedule(queue, id);
        state.removeSchedule(queue, id);
    }

    @Override
    public void advanceSchedule(String queue, String id, Instant nextFireAt, long version) {
        pending.advance(queue, id, nextFireAt, version);
        state.advanceSchedule(queue, id, nextFireAt, version);
    }

    @Override
    public void putLock(LockRecord lock) {
        pending.lock(lock);
        state.apply(lock);
    }

    @Override
    public void removeLock(String queue, String name) {
        pending.unlock(queue, name);
        state.removeLock(queue, name);
    }

    /** Writes the records of this batch in one append. */
    void appendPending() throws IOException {
        if (!pending.isEmpty()) {
            try {
                current.append(pending.asByteBuffer());
            } finally {
                pending.clear();
            }
            publish();
        }
    }

    /** Forgets the records of a batch that could not be written. */
    void discardPending() {
        pending.clear();
    }

    boolean hasUnsyncedBytes() throws IOException {
        JournalFile file = current;
        return file != null && file.hasUnsyncedBytes();
    }

    /**
     * fsyncs the current journal file if it holds unsynced bytes. Called on the syncer thread,
     * concurrently with appends (positional writes and force may overlap on one channel); a
     * generation switch waits for it, so a file is never closed under a running fsync.
     */
    void sync() throws IOException {
        synchronized (fileSwitch) {
            JournalFile file = current;
            if (file != null && file.hasUnsyncedBytes()) {
                file.force();
            }
        }
    }

    long size() throws IOException {
        return current.size();
    }

    long lastSnapshotSize() {
        return lastSnapshotSize;
    }

    /** A snapshot to write of the state at the start of {@code generation}. */
    record PendingSnapshot(long generation, StateImage image, Instant now) {
    }

    /**
     * Starts generation g+1 and returns the snapshot that will replace generations up to g.
     * Call after {@link #appendPending}, under the lock. Journal g+1 is created (header and
     * directory entry fsynced) before the ROTATE record leading to it is written, so a failure
     * (a full disk) before that ROTATE leaves journal g as it was: the storage goes on appending
     * to it and a later compaction tries again. Journal g is fsynced with its ROTATE before
     * anything is appended to g+1, so its records (this batch's included) stay durable without the snapshot.
     *
     * @throws CompactionFailedException when generation g+1 could not be started; nothing changed
     * @throws IOException               when journal g could not be fsynced (the storage must stop)
     */
    PendingSnapshot rotate(Instant now) throws IOException {
        long next = current.generation() + 1;
        JournalFile nextFile;
        try {
            nextFile = JournalFile.createReplacingEmpty(dir, next);
        } catch (IOException e) {
            throw new CompactionFailedException("cannot create " + dir.journalPath(next).getFileName(), e);
        }
        long end = current.end();
        try {
            dir.syncDirectory();
            pending.rotate(next);
            appendPending();
        } catch (IOException e) {
            pending.clear();
            try {
                nextFile.close();
                current.truncate(end); // a ROTATE written in part would be a torn tail
                Files.deleteIfExists(nextFile.path());
            } catch (IOException cleanup) {
                cleanup.addSuppressed(e);
                throw cleanup; // the journal's end is unknown: the storage must stop
            }
            throw new CompactionFailedException("cannot append the ROTATE record to " + current.path().getFileName(), e);
        }
        try {
            current.force();
        } catch (IOException | RuntimeException e) {
            nextFile.close();
            throw e;
        }
        setCurrent(nextFile);
        publish();
        return new PendingSnapshot(next, state.image(), now);
    }

    /** Starting a new generation failed before its ROTATE record was written: the journal is unchanged. */
    static final class CompactionFailedException extends IOException {
        private static final long serialVersionUID = 1L;

        CompactionFailedException(String message, IOException cause) {
            super(message + ": " + cause, cause);
        }
    }

    /** Writes a snapshot taken by {@link #rotate}; any thread, no lock needed. Returns its size. */
    long writeSnapshot(PendingSnapshot snapshot) throws IOException {
        return SnapshotFile.write(dir, snapshot.generation(), snapshot.image(), snapshot.now());
    }

    /** The snapshot of {@code generation} is durable: deletes what it replaces. Call under the lock. */
    void snapshotWritten(long generation, long size) throws IOException {
        lastSnapshotSize = size;
        // Not fsynced: deletions lost in a crash are redone on open.
        dir.deleteOlderThan(generation);
        LOG.debug("compacted {} into generation {} (snapshot {} bytes)", dir.path(), generation, size);
    }

    /**
     * Moves a directory whose current journal an older build wrote (format 1 or 2, which may be
     * followed only by version 1 records) to the current formats by compacting it at once: the
     * records this build appends then go to a format 3 journal after a format 2 snapshot, which
     * older builds refuse to open instead of misreading. Call under the lock after {@link #recover}.
     * If the disk is full the directory stays as it is (a WARN is logged) and works as before.
     */
    void upgradeFormat(Instant now) throws IOException {
        if (current.format() >= JournalFile.FILE_FORMAT) {
            return;
        }
        LOG.info("{}: journal format {} was written by an older build; compacting it into format {}",
                dir.path(), current.format(), JournalFile.FILE_FORMAT);
        PendingSnapshot snapshot;
        try {
            snapshot = rotate(now);
        } catch (CompactionFailedException e) {
            LOG.warn("{}: upgrading the journal format failed; the directory is used as it is", dir.path(), e);
            return;
        }
        long size;
        try {
            size = writeSnapshot(snapshot);
        } catch (IOException e) {
            LOG.warn("{}: writing the snapshot of generation {} failed; the journals keep everything",
                    dir.path(), snapshot.generation(), e);
            return;
        }
        snapshotWritten(snapshot.generation(), size);
    }

    /** Compaction in one step on the calling thread (under the lock): rotate, write, delete. */
    void compact(Instant now) throws IOException {
        PendingSnapshot snapshot = rotate(now);
        snapshotWritten(snapshot.generation(), writeSnapshot(snapshot));
    }

    /** True when the journal file holds bytes this process has not read (checked without the lock). */
    boolean foreignBytesPending() {
        try {
            return Files.size(journalPath(publishedGeneration)) != publishedEnd;
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException e) {
            return true;
        }
    }

    private Path journalPath(long generation) {
        return dir.journalPath(generation);
    }

    private void publish() {
        publishedGeneration = current.generation();
        publishedEnd = current.end();
    }

    /** Replaces (and closes) the current file; everything in the old one is durable in the new generation. */
    private void setCurrent(JournalFile next) throws IOException {
        synchronized (fileSwitch) {
            JournalFile old = current;
            current = next;
            if (old != null) {
                old.close();
            }
        }
    }

    private void closeCurrent() throws IOException {
        setCurrent(null);
    }

    @Override
    public void close() throws IOException {
        closeCurrent();
    }
}
