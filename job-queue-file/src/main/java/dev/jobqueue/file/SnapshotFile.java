package dev.jobqueue.file;

import dev.jobqueue.file.RecordCodec.EndEntry;
import dev.jobqueue.file.RecordCodec.JobEntry;
import dev.jobqueue.file.RecordCodec.LimitsEntry;
import dev.jobqueue.file.RecordCodec.LockEntry;
import dev.jobqueue.file.RecordCodec.MetaEntry;
import dev.jobqueue.file.RecordCodec.PauseEntry;
import dev.jobqueue.file.RecordCodec.RecordBuffer;
import dev.jobqueue.file.RecordCodec.ScheduleEntry;
import dev.jobqueue.file.RecordCodec.ThrottleEntry;
import dev.jobqueue.file.RecordCodec.TotalsEntry;
import dev.jobqueue.spi.FinishedTotals;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * A compacted image of the index at the start of a journal generation: header ({@code int magic
 * "JQSN"}, {@code int format version}, {@code long generation}), one LIMITS record per queue with
 * limits (first, so that the rate window counts the claims of the running jobs that follow), one
 * JOB record per live job (with its payload), one LOCK record per held lock, one PAUSE record per
 * paused queue, one TOTALS record per queue that has finished jobs (its completed and failed
 * counters), one THROTTLE record per queue throttled beyond the snapshot's time, one SCHEDULE
 * record per schedule, a META record with the sequence and token counters, and an END record with
 * the count of records before it. A snapshot without its END record is incomplete and is rejected.
 */
final class SnapshotFile {
    static final int MAGIC = 0x4A51534E; // "JQSN"
    /**
     * Format 3 snapshots hold version 3 records (LIMITS, THROTTLE, SCHEDULE), format 2 ones version 2
     * records (metadata, timing, PAUSE); formats 1 and 2 are still read.
     */
    static final int FILE_FORMAT = 3;
    private static final int OLDEST_READABLE_FORMAT = 1;
    private static final int FLUSH_AT = 1 << 20;

    private SnapshotFile() {
    }

    /**
     * Writes the snapshot of {@code generation} atomically: temp file, fsync, rename, directory
     * fsync. Needs no directory lock: nobody else writes this generation's snapshot while its
     * journal exists (see the module README, "Compaction").
     */
    static long write(StorageDirectory dir, long generation, StateImage image, Instant now) throws IOException {
        Path tmp = dir.snapshotTempPath(generation);
        Files.deleteIfExists(tmp);
        try {
            long size = writeTemp(dir, tmp, generation, image, now);
            Files.move(tmp, dir.snapshotPath(generation), StandardCopyOption.ATOMIC_MOVE);
            dir.syncDirectory();
            return size;
        } catch (IOException | RuntimeException e) {
            // A temp file left on a full disk would keep the space the storage needs to go on.
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private static long writeTemp(StorageDirectory dir, Path tmp, long generation, StateImage image, Instant now)
            throws IOException {
        try (FileChannel out = dir.createChannel(tmp)) {
            ByteBuffer header = ByteBuffer.allocate(JournalFile.HEADER)
                    .putInt(MAGIC).putInt(FILE_FORMAT).putLong(generation).flip();
            long[] pos = {writeFully(out, header, 0)};
            long[] count = {0};
            RecordBuffer buffer = new RecordBuffer();
            for (var limits : image.limits().entrySet()) {
                buffer.limits(limits.getKey(), limits.getValue());
                count[0]++;
                flushIfFull(out, buffer, pos);
            }
            for (JobRecord job : image.jobs()) {
                if (job.isExpiredAt(now)) {
                    continue;
                }
                buffer.job(job, job.payload() != null, true);
                count[0]++;
                flushIfFull(out, buffer, pos);
            }
            for (LockRecord lock : image.locks()) {
                if (!lock.isFreeAt(now)) {
                    buffer.lock(lock);
                    count[0]++;
                }
            }
            for (String queue : image.pausedQueues()) {
                buffer.pause(queue, true);
                count[0]++;
                flushIfFull(out, buffer, pos);
            }
            for (var totals : image.finishedTotals().entrySet()) {
                buffer.totals(totals.getKey(), totals.getValue().completed(), totals.getValue().failed());
                count[0]++;
                flushIfFull(out, buffer, pos);
            }
            for (var throttle : image.throttles().entrySet()) {
                if (throttle.getValue().isAfter(now)) {
                    buffer.throttle(throttle.getKey(), throttle.getValue());
                    count[0]++;
                }
            }
            for (StateImage.QueueSchedule schedule : image.schedules()) {
                buffer.schedule(schedule.queue(), schedule.schedule());
                count[0]++;
                flushIfFull(out, buffer, pos);
            }
            buffer.meta(image.lastSeq(), image.lastToken());
            count[0]++;
            buffer.endOfSnapshot(count[0]);
            pos[0] += writeFully(out, buffer.asByteBuffer(), pos[0]);
            out.force(true);
            return pos[0];
        }
    }

    /**
     * Writes out a full buffer and fsyncs it: flushing the snapshot in 1 MiB steps keeps each
     * flush short, so the journal's fsyncs (which callers wait for) are never queued behind one
     * flush of the whole snapshot on the same disk.
     */
    private static void flushIfFull(FileChannel out, RecordBuffer buffer, long[] pos) throws IOException {
        if (buffer.size() >= FLUSH_AT) {
            pos[0] += writeFully(out, buffer.asByteBuffer(), pos[0]);
            buffer.clear();
            out.force(false);
        }
    }

    /** Loads the snapshot of {@code generation} into {@code state}; returns the file size. */
    static long read(StorageDirectory dir, long generation, StateIndex state) throws IOException {
        Path path = dir.snapshotPath(generation);
        try (FileChannel in = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(JournalFile.HEADER);
            while (header.hasRemaining() && in.read(header, header.position()) >= 0) {
                // read the whole header
            }
            if (header.position() < JournalFile.HEADER || header.getInt(0) != MAGIC
                    || header.getInt(4) < OLDEST_READABLE_FORMAT || header.getInt(4) > FILE_FORMAT
                    || header.getLong(8) != generation) {
                throw new CorruptJournalException(path, 0, "missing or invalid snapshot header");
            }
            long size = in.size();
            long[] count = {0};
            boolean[] ended = {false};
            RecordScanner.Result result = RecordScanner.scan(in, path, JournalFile.HEADER, size, (entry, offset) -> {
                if (ended[0]) {
                    throw new CorruptJournalException(path, offset, "record after the end marker");
                }
                if (entry instanceof JobEntry j) {
                    state.apply(j.job());
                } else if (entry instanceof LockEntry l) {
                    state.apply(l.lock());
                } else if (entry instanceof PauseEntry p) {
                    state.applyPause(p.queue(), p.paused());
                } else if (entry instanceof LimitsEntry l) {
                    state.applyLimits(l.queue(), l.limits());
                } else if (entry instanceof ThrottleEntry t) {
                    state.applyThrottle(t.queue(), t.until());
                } else if (entry instanceof ScheduleEntry s) {
                    state.applySchedule(s.queue(), s.schedule());
                } else if (entry instanceof TotalsEntry t) {
                    state.restoreTotals(t.queue(), new FinishedTotals(t.completed(), t.failed()));
                } else if (entry instanceof MetaEntry m) {
                    state.restoreCounters(m.lastSeq(), m.lastToken());
                } else if (entry instanceof EndEntry e) {
                    if (e.recordCount() != count[0]) {
                        throw new CorruptJournalException(path, offset,
                                "end marker counts " + e.recordCount() + " records, found " + count[0]);
                    }
                    ended[0] = true;
                    return;
                } else {
                    throw new CorruptJournalException(path, offset, "unexpected record in a snapshot: " + entry);
                }
                count[0]++;
            });
            if (result.damage() != null) {
                throw new CorruptJournalException(path, result.damage().offset(), result.damage().reason());
            }
            if (!ended[0]) {
                throw new CorruptJournalException(path, size, "snapshot is incomplete (no end marker)");
            }
            return size;
        }
    }

    private static long writeFully(FileChannel channel, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            pos += channel.write(buf, pos);
        }
        return pos - position;
    }
}
