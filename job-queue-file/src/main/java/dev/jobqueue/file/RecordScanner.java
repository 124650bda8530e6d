package dev.jobqueue.file;

import dev.jobqueue.file.RecordCodec.Entry;
import dev.jobqueue.file.RecordCodec.MalformedRecordException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Reads framed records from a file region and classifies damage: a bad record with no valid
 * record after it is a torn tail (the writer died mid-append; safe to cut), a bad record followed
 * by a valid one is corruption in the middle (acknowledged data would be lost by cutting).
 */
final class RecordScanner {
    private static final int CHUNK = 1 << 20;

    private RecordScanner() {
    }

    /** Receives each valid record and the offset its frame starts at. */
    interface Sink {
        void accept(Entry entry, long offset);
    }

    /** Where and why a scan stopped before the end of the region. */
    record Damage(long offset, String reason, boolean validRecordsFollow) {
    }

    /**
     * @param validEnd offset just past the last valid record
     * @param damage   {@code null} when the region ended cleanly
     */
    record Result(long validEnd, Damage damage) {
    }

    static Result scan(FileChannel channel, Path file, long from, long end, Sink sink) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(end - from, RecordCodec.FRAME_HEADER)));
        long bufStart = from;
        buf.limit(0);
        long pos = from;
        while (pos < end) {
            int at = (int) (pos - bufStart);
            if (buf.limit() - at < RecordCodec.FRAME_HEADER) {
                buf = refill(channel, buf, pos, end, RecordCodec.FRAME_HEADER);
                bufStart = pos;
                at = 0;
                if (buf.limit() < RecordCodec.FRAME_HEADER) {
                    return damaged(channel, file, pos, end, "partial record header");
                }
            }
            int bodyLength = buf.getInt(at);
            if (bodyLength < 2 || bodyLength > RecordCodec.MAX_BODY) {
                return damaged(channel, file, pos, end, "invalid record length " + bodyLength);
            }
            int frameLength = RecordCodec.FRAME_HEADER + bodyLength;
            if (pos + frameLength > end) {
                return damaged(channel, file, pos, end, "record of " + frameLength + " bytes runs past the end of the file");
            }
            if (buf.limit() - at < frameLength) {
                buf = refill(channel, buf, pos, end, frameLength);
                bufStart = pos;
                at = 0;
            }
            int storedCrc = buf.getInt(at + 4);
            int bodyStart = at + RecordCodec.FRAME_HEADER;
            if (RecordCodec.checksum(buf, bodyStart, bodyLength) != storedCrc) {
                return damaged(channel, file, pos, end, "checksum mismatch");
            }
            Entry entry;
            try {
                entry = RecordCodec.decode(buf.duplicate().limit(bodyStart + bodyLength).position(bodyStart).slice());
            } catch (MalformedRecordException e) {
                // The checksum matched, so this is not a torn write: never cut it off.
                throw new CorruptJournalException(file, pos, e.getMessage());
            }
            sink.accept(entry, pos);
            pos += frameLength;
        }
        return new Result(pos, null);
    }

    /** Reads {@code [pos, ...)} into the start of a buffer holding at least {@code need} bytes when the file has them. */
    private static ByteBuffer refill(FileChannel channel, ByteBuffer buf, long pos, long end, int need) throws IOException {
        ByteBuffer target = buf.capacity() >= need ? buf : ByteBuffer.allocate(Math.max(need, CHUNK));
        target.clear();
        target.limit((int) Math.min(target.capacity(), end - pos));
        long readPos = pos;
        while (target.hasRemaining()) {
            int n = channel.read(target, readPos);
            if (n < 0) {
                break;
            }
            readPos += n;
        }
        target.flip();
        return target;
    }

    private static Result damaged(FileChannel channel, Path file, long pos, long end, String reason) throws IOException {
        return new Result(pos, new Damage(pos, reason, validFrameAfter(channel, pos, end)));
    }

    /** True when some valid frame starts after {@code damagedAt} (checked at every byte offset). */
    static boolean validFrameAfter(FileChannel channel, long damagedAt, long end) throws IOException {
        long length = end - damagedAt;
        if (length <= RecordCodec.FRAME_HEADER + 2) {
            return false;
        }
        if (length > Integer.MAX_VALUE) {
            return true; // too large to search in memory: assume the worst, refuse to cut
        }
        ByteBuffer tail = ByteBuffer.allocate((int) length);
        long readPos = damagedAt;
        while (tail.hasRemaining()) {
            int n = channel.read(tail, readPos);
            if (n < 0) {
                break;
            }
            readPos += n;
        }
        tail.flip();
        for (int at = 1; at + RecordCodec.FRAME_HEADER + 2 <= tail.limit(); at++) {
            int bodyLength = tail.getInt(at);
            if (bodyLength < 2 || bodyLength > tail.limit() - at - RecordCodec.FRAME_HEADER) {
                continue;
            }
            int bodyStart = at + RecordCodec.FRAME_HEADER;
            byte version = tail.get(bodyStart);
            if (version != RecordCodec.FORMAT_VERSION && version != RecordCodec.LEGACY_VERSION) {
                continue;
            }
            if (RecordCodec.checksum(tail, bodyStart, bodyLength) == tail.getInt(at + 4)) {
                return true;
            }
        }
        return false;
    }
}
