package dev.jobqueue.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One journal generation: a 16-byte header ({@code int magic "JQJL"}, {@code int format version},
 * {@code long generation}) followed by framed records. Tracks how far this process has read
 * ({@link #end()}: everything before it is applied to the index) and how far it has fsynced.
 * Only the storage loop thread touches it, so a thread interrupt can never close the channel.
 */
final class JournalFile implements AutoCloseable {
    static final int MAGIC = 0x4A514A4C; // "JQJL"
    /**
     * Format 2 journals may be followed by the next generation before its snapshot exists (the
     * snapshot is written in the background). Format 1 builds deleted the previous generation as
     * soon as they saw the next journal, which would drop data still needed until that snapshot is
     * complete, so they must refuse a format 2 journal rather than follow it. Format 3 journals
     * hold version 2 records (metadata, timing, PAUSE, DELETE), which format 2 builds cannot read,
     * so they refuse a format 3 journal. Format 4 journals hold version 3 records (LIMITS, THROTTLE,
     * SCHEDULE, UNSCHEDULE, ADVANCE), which format 3 builds cannot read, so they refuse a format 4
     * journal. All four are read; a directory whose journal is older is moved to format 4 on open
     * ({@link Journal#upgradeFormat}).
     */
    static final int FILE_FORMAT = 4;
    private static final int OLDEST_READABLE_FORMAT = 1;
    static final int HEADER = 16;

    private final Path path;
    private final long generation;
    private final int format;
    private final FileChannel channel;
    private long end;
    private volatile long syncedEnd;

    private JournalFile(Path path, long generation, int format, FileChannel channel, long end) {
        this.path = path;
        this.generation = generation;
        this.format = format;
        this.channel = channel;
        this.end = end;
        this.syncedEnd = end;
    }

    /**
     * Creates a new, empty journal (header written and fsynced). If that fails (a full disk), the
     * file is closed and deleted again, so that no header-less journal is left behind.
     */
    static JournalFile create(StorageDirectory dir, long generation) throws IOException {
        Path path = dir.journalPath(generation);
        FileChannel channel = dir.createChannel(path);
        try {
            ByteBuffer header = ByteBuffer.allocate(HEADER).putInt(MAGIC).putInt(FILE_FORMAT).putLong(generation).flip();
            writeFully(channel, header, 0);
            channel.force(true);
            return new JournalFile(path, generation, FILE_FORMAT, channel, HEADER);
        } catch (IOException | RuntimeException e) {
            closeAndDelete(channel, path, e);
            throw e;
        }
    }

    /**
     * Like {@link #create}, first deleting a file of that generation that holds no records (a
     * creation that never finished). Call only for a generation no ROTATE record leads to yet, or
     * whose journal {@link #openIfWritten} found header-less.
     */
    static JournalFile createReplacingEmpty(StorageDirectory dir, long generation) throws IOException {
        Path path = dir.journalPath(generation);
        if (Files.isRegularFile(path)) {
            if (Files.size(path) > HEADER) {
                throw new CorruptJournalException(path, 0, "a journal of a generation being started already holds records");
            }
            Files.delete(path);
        }
        return create(dir, generation);
    }

    /**
     * Opens an existing journal positioned after its header (nothing applied yet), or returns
     * {@code null} when there is none or it never got its header: a file of at most {@link #HEADER}
     * bytes without a valid one was cut short while being created, before any record could be
     * written to it, so it holds nothing and is a crash artefact, not damage.
     */
    static JournalFile openIfWritten(StorageDirectory dir, long generation) throws IOException {
        Path path = dir.journalPath(generation);
        if (!Files.exists(path)) {
            return null;
        }
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            while (header.hasRemaining() && channel.read(header, header.position()) >= 0) {
                // keep reading until the header is complete or the file ends
            }
            header.flip();
            boolean complete = header.remaining() == HEADER && header.getInt(0) == MAGIC;
            if (!complete && channel.size() <= HEADER) {
                channel.close();
                return null;
            }
            if (!complete) {
                throw new CorruptJournalException(path, 0, "missing or invalid journal header");
            }
            if (header.getInt(4) < OLDEST_READABLE_FORMAT || header.getInt(4) > FILE_FORMAT) {
                throw new CorruptJournalException(path, 4, "unsupported journal format " + header.getInt(4));
            }
            if (header.getLong(8) != generation) {
                throw new CorruptJournalException(path, 8, "header says generation " + header.getLong(8));
            }
            return new JournalFile(path, generation, header.getInt(4), channel, HEADER);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static void closeAndDelete(FileChannel channel, Path path, Exception failure) {
        try {
            channel.close();
            Files.deleteIfExists(path);
        } catch (IOException cleanup) {
            failure.addSuppressed(cleanup);
        }
    }

    Path path() {
        return path;
    }

    long generation() {
        return generation;
    }

    /** The file format number of its header. */
    int format() {
        return format;
    }

    FileChannel channel() {
        return channel;
    }

    /** Offset up to which this process has applied the journal (and where it appends next). */
    long end() {
        return end;
    }

    void advanceTo(long offset) {
        end = offset;
    }

    long size() throws IOException {
        return channel.size();
    }

    /** Appends at {@link #end()}; call only under the directory lock after catching up. */
    void append(ByteBuffer records) throws IOException {
        long at = end;
        int length = records.remaining();
        writeFully(channel, records, at);
        end = at + length;
    }

    boolean hasUnsyncedBytes() throws IOException {
        return channel.size() > syncedEnd;
    }

    /** fsyncs the journal; force(false) is fdatasync, which also persists the grown file size. */
    void force() throws IOException {
        long target = channel.size();
        channel.force(false);
        syncedEnd = Math.max(syncedEnd, target);
    }

    /** Cuts a torn tail; call only under the directory lock. */
    void truncate(long offset) throws IOException {
        channel.truncate(offset);
        channel.force(true);
        end = offset;
        syncedEnd = Math.min(syncedEnd, offset);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static void writeFully(FileChannel channel, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            pos += channel.write(buf, pos);
        }
    }
}
