package dev.jobqueue.file;

import dev.jobqueue.JobError;
import dev.jobqueue.JobState;
import dev.jobqueue.QueueLimits;
import dev.jobqueue.spi.JobErrorCodec;
import dev.jobqueue.spi.JobMetadata;
import dev.jobqueue.spi.ScheduleRecord;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Encodes and decodes journal and snapshot records. The framing and every field layout are
 * described in the module README ("On-disk format"); this class is its only implementation.
 *
 * <p>Frame: {@code [int bodyLength][int crc32c(body)][body]}, body = {@code [byte formatVersion]
 * [byte type][fields...]}, all big-endian. Version 2 added metadata and attempt timing to JOB
 * records and the PAUSE, DELETE and TOTALS records; version 3 (written by this build) adds the
 * LIMITS, THROTTLE, SCHEDULE, UNSCHEDULE and ADVANCE records (its JOB record is version 2's).
 * Versions 1 and 2 are still read, each only with the record types it had.
 */
final class RecordCodec {
    static final byte FORMAT_VERSION = 3;
    /** Records of this version (JOB as in version 3, types up to TOTALS) are read, never written. */
    static final byte PREVIOUS_VERSION = 2;
    /** Records of this version (JOB without metadata and timing) are read, never written. */
    static final byte LEGACY_VERSION = 1;
    static final int FRAME_HEADER = 8;
    /** Bodies larger than this are treated as corrupt lengths; enqueue rejects payloads near it. */
    static final int MAX_BODY = 256 * 1024 * 1024;

    static final byte JOB = 1;
    static final byte LOCK = 2;
    static final byte UNLOCK = 3;
    static final byte ROTATE = 4;
    static final byte META = 5;
    static final byte END = 6;
    static final byte PAUSE = 7;
    static final byte DELETE = 8;
    /** Snapshots only: one queue's finished-job totals at the snapshot's point of the journal. */
    static final byte TOTALS = 9;
    /** Version 3: a queue's flow-control limits ({@code setLimits}). */
    static final byte LIMITS = 10;
    /** Version 3: a queue's claims are held back until an instant ({@code throttle}). */
    static final byte THROTTLE = 11;
    /** Version 3: a recurring schedule created or changed, with its whole definition. */
    static final byte SCHEDULE = 12;
    /** Version 3: a recurring schedule removed. */
    static final byte UNSCHEDULE = 13;
    /** Version 3: a recurring schedule's next fire time and version moved on ({@code advanceSchedule}). */
    static final byte ADVANCE = 14;

    private static final long NONE = Long.MIN_VALUE;

    private RecordCodec() {
    }

    /** A decoded record. */
    sealed interface Entry permits JobEntry, LockEntry, UnlockEntry, RotateEntry, MetaEntry, EndEntry, PauseEntry,
            DeleteEntry, TotalsEntry, LimitsEntry, ThrottleEntry, ScheduleEntry, UnscheduleEntry, AdvanceEntry {
    }

    /**
     * {@code payloadIncluded} false: the job's payload is unchanged (or unknown: a terminal job of a
     * version 1 snapshot); {@code metadataIncluded} false: its metadata is unchanged (the record's
     * own is empty until replay puts the previous one back).
     */
    record JobEntry(JobRecord job, boolean payloadIncluded, boolean metadataIncluded) implements Entry {
    }

    record LockEntry(LockRecord lock) implements Entry {
    }

    record UnlockEntry(String queue, String name) implements Entry {
    }

    record RotateEntry(long nextGeneration) implements Entry {
    }

    record MetaEntry(long lastSeq, long lastToken) implements Entry {
    }

    record EndEntry(long recordCount) implements Entry {
    }

    /** The queue's pause flag was set ({@code paused}) or cleared. */
    record PauseEntry(String queue, boolean paused) implements Entry {
    }

    /** The job was deleted: its record, payload and id are gone. */
    record DeleteEntry(String queue, String id) implements Entry {
    }

    /** A queue's finished-job totals (snapshots only; the journal's JOB records carry the changes). */
    record TotalsEntry(String queue, long completed, long failed) implements Entry {
    }

    /** The queue's flow-control limits ({@link QueueLimits#NONE}: removed). */
    record LimitsEntry(String queue, QueueLimits limits) implements Entry {
    }

    /** The queue's claims are held back until {@code until}. */
    record ThrottleEntry(String queue, Instant until) implements Entry {
    }

    /** A schedule created or changed (or, in a snapshot, as it stands). */
    record ScheduleEntry(String queue, ScheduleRecord schedule) implements Entry {
    }

    /** A schedule removed. */
    record UnscheduleEntry(String queue, String id) implements Entry {
    }

    /** A schedule advanced to {@code nextFireAt} with its new {@code version}; its definition is unchanged. */
    record AdvanceEntry(String queue, String id, Instant nextFireAt, long version) implements Entry {
    }

    /** Thrown when a body's checksum matched but its fields do not parse. */
    static final class MalformedRecordException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedRecordException(String message) {
            super(message);
        }
    }

    /** Appends framed records to a growing buffer, ready for one write. */
    static final class RecordBuffer {
        private byte[] bytes = new byte[4096];
        private int size;
        private int bodyStart;
        private final CRC32C crc = new CRC32C();

        int size() {
            return size;
        }

        boolean isEmpty() {
            return size == 0;
        }

        void clear() {
            size = 0;
        }

        ByteBuffer asByteBuffer() {
            return ByteBuffer.wrap(bytes, 0, size);
        }

        /** A journal's job record: payload and metadata are written for a new job, else "unchanged". */
        void job(JobRecord job, boolean newJob) {
            job(job, newJob, newJob);
        }

        /** A job record; payload and metadata are written only when included (else "unchanged"). */
        void job(JobRecord job, boolean includePayload, boolean includeMetadata) {
            requireEncodable(job.queue(), "queue");
            requireEncodable(job.id(), "id");
            requireEncodable(job.workerId(), "workerId");
            begin(JOB);
            string(job.queue());
            string(job.id());
            u8(stateCode(job.state()));
            i32(job.priority());
            i64(job.seq());
            instant(job.createdAt());
            instant(job.runAt());
            i32(job.attempts());
            i32(job.maxAttempts());
            i32(job.stalls());
            i32(job.maxStalls());
            i64(job.resultTtl().toNanos());
            i64(job.token());
            string(job.workerId());
            instant(job.leaseDeadline());
            instant(job.expiresAt());
            bytes(includePayload ? job.payload() : null);
            bytes(job.result());
            bytes(job.error() == null ? null : JobErrorCodec.encode(job.error()));
            if (includeMetadata) {
                i32(job.metadata().size());
                for (Map.Entry<String, String> e : job.metadata().entrySet()) {
                    string(e.getKey());
                    string(e.getValue());
                }
            } else {
                i32(-1);
            }
            instant(job.readyAt());
            instant(job.startedAt());
            instant(job.finishedAt());
            end();
        }

        void pause(String queue, boolean paused) {
            requireEncodable(queue, "queue");
            begin(PAUSE);
            string(queue);
            u8(paused ? 1 : 0);
            end();
        }

        void delete(String queue, String id) {
            requireEncodable(queue, "queue");
            requireEncodable(id, "id");
            begin(DELETE);
            string(queue);
            string(id);
            end();
        }

        void limits(String queue, QueueLimits limits) {
            requireEncodable(queue, "queue");
            begin(LIMITS);
            string(queue);
            i32(limits.maxRunning());
            i32(limits.rateLimit());
            i64(limits.ratePeriod() == null ? -1 : limits.ratePeriod().toMillis());
            end();
        }

        void throttle(String queue, Instant until) {
            requireEncodable(queue, "queue");
            begin(THROTTLE);
            string(queue);
            instant(until);
            end();
        }

        void schedule(String queue, ScheduleRecord schedule) {
            requireEncodable(queue, "queue");
            requireEncodable(schedule.id(), "scheduleId");
            begin(SCHEDULE);
            string(queue);
            string(schedule.id());
            bytes(schedule.definition());
            instant(schedule.nextFireAt());
            i64(schedule.version());
            end();
        }

        void unschedule(String queue, String id) {
            requireEncodable(queue, "queue");
            requireEncodable(id, "scheduleId");
            begin(UNSCHEDULE);
            string(queue);
            string(id);
            end();
        }

        void advance(String queue, String id, Instant nextFireAt, long version) {
            requireEncodable(queue, "queue");
            requireEncodable(id, "scheduleId");
            begin(ADVANCE);
            string(queue);
            string(id);
            instant(nextFireAt);
            i64(version);
            end();
        }

        void lock(LockRecord lock) {
            requireEncodable(lock.queue(), "queue");
            requireEncodable(lock.name(), "lock");
            requireEncodable(lock.owner(), "owner");
            begin(LOCK);
            string(lock.queue());
            string(lock.name());
            string(lock.owner());
            instant(lock.expiresAt());
            end();
        }

        void unlock(String queue, String name) {
            requireEncodable(queue, "queue");
            requireEncodable(name, "lock");
            begin(UNLOCK);
            string(queue);
            string(name);
            end();
        }

        void rotate(long nextGeneration) {
            begin(ROTATE);
            i64(nextGeneration);
            end();
        }

        void totals(String queue, long completed, long failed) {
            requireEncodable(queue, "queue");
            begin(TOTALS);
            string(queue);
            i64(completed);
            i64(failed);
            end();
        }

        void meta(long lastSeq, long lastToken) {
            begin(META);
            i64(lastSeq);
            i64(lastToken);
            end();
        }

        void endOfSnapshot(long recordCount) {
            begin(END);
            i64(recordCount);
            end();
        }

        private void begin(byte type) {
            ensure(FRAME_HEADER + 2);
            bodyStart = size + FRAME_HEADER;
            size = bodyStart;
            u8(FORMAT_VERSION);
            u8(type);
        }

        private void end() {
            int bodyLength = size - bodyStart;
            if (bodyLength > MAX_BODY) {
                size = bodyStart - FRAME_HEADER;
                throw new IllegalArgumentException("record of " + bodyLength + " bytes exceeds the limit of "
                        + MAX_BODY + " bytes (payload or result too large)");
            }
            crc.reset();
            crc.update(bytes, bodyStart, bodyLength);
            putInt(bodyStart - FRAME_HEADER, bodyLength);
            putInt(bodyStart - 4, (int) crc.getValue());
        }

        private void ensure(int extra) {
            if (size + extra > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + extra));
            }
        }

        private void u8(int v) {
            ensure(1);
            bytes[size++] = (byte) v;
        }

        private void i32(int v) {
            ensure(4);
            putInt(size, v);
            size += 4;
        }

        private void putInt(int at, int v) {
            bytes[at] = (byte) (v >>> 24);
            bytes[at + 1] = (byte) (v >>> 16);
            bytes[at + 2] = (byte) (v >>> 8);
            bytes[at + 3] = (byte) v;
        }

        private void i64(long v) {
            i32((int) (v >>> 32));
            i32((int) v);
        }

        private void instant(Instant t) {
            if (t == null) {
                i64(NONE);
                i32(0);
            } else {
                i64(t.getEpochSecond());
                i32(t.getNano());
            }
        }

        private void string(String s) {
            bytes(s == null ? null : s.getBytes(StandardCharsets.UTF_8));
        }

        private void bytes(byte[] b) {
            if (b == null) {
                i32(-1);
                return;
            }
            i32(b.length);
            ensure(b.length);
            System.arraycopy(b, 0, bytes, size, b.length);
            size += b.length;
        }
    }

    /**
     * Strings are stored as UTF-8, which cannot carry an unpaired UTF-16 surrogate: {@code getBytes}
     * would store {@code '?'} instead, so an id ending in a lone surrogate would come back ending in
     * {@code ?}, a different id. Refused before anything is encoded, so a record is never half-written.
     */
    static void requireEncodable(String value, String name) {
        if (value == null) {
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(name + " must be valid UTF-16 (it is stored as UTF-8), got an unpaired "
                        + "surrogate \\u" + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT) + " at index " + i);
            }
        }
    }

    /** CRC32C of {@code length} bytes of {@code buf} starting at its absolute {@code offset}. */
    static int checksum(ByteBuffer buf, int offset, int length) {
        CRC32C crc = new CRC32C();
        ByteBuffer slice = buf.duplicate();
        slice.limit(offset + length).position(offset);
        crc.update(slice);
        return (int) crc.getValue();
    }

    /** Decodes a body whose checksum has been verified. */
    static Entry decode(ByteBuffer body) {
        try {
            byte version = body.get();
            if (version != FORMAT_VERSION && version != PREVIOUS_VERSION && version != LEGACY_VERSION) {
                throw new MalformedRecordException("unsupported record format version " + version);
            }
            byte type = body.get();
            if (version == LEGACY_VERSION && type > END) {
                throw new MalformedRecordException("record type " + type + " in a version 1 record");
            }
            if (version == PREVIOUS_VERSION && type > TOTALS) {
                throw new MalformedRecordException("record type " + type + " in a version 2 record");
            }
            Entry entry = switch (type) {
                case JOB -> decodeJob(body, version);
                case LOCK -> new LockEntry(new LockRecord(string(body), string(body), string(body), instant(body)));
                case UNLOCK -> new UnlockEntry(string(body), string(body));
                case ROTATE -> new RotateEntry(body.getLong());
                case META -> new MetaEntry(body.getLong(), body.getLong());
                case END -> new EndEntry(body.getLong());
                case PAUSE -> new PauseEntry(requireString(body, "queue"), flag(body.get()));
                case DELETE -> new DeleteEntry(requireString(body, "queue"), requireString(body, "id"));
                case TOTALS -> totalsEntry(requireString(body, "queue"), body.getLong(), body.getLong());
                case LIMITS -> limitsEntry(requireString(body, "queue"), body.getInt(), body.getInt(), body.getLong());
                case THROTTLE -> new ThrottleEntry(requireString(body, "queue"), requireInstant(body, "until"));
                case SCHEDULE -> new ScheduleEntry(requireString(body, "queue"), new ScheduleRecord(
                        requireString(body, "scheduleId"), requireBytes(body, "definition"),
                        requireInstant(body, "nextFireAt"), body.getLong()));
                case UNSCHEDULE -> new UnscheduleEntry(requireString(body, "queue"), requireString(body, "scheduleId"));
                case ADVANCE -> advanceEntry(requireString(body, "queue"), requireString(body, "scheduleId"),
                        requireInstant(body, "nextFireAt"), body.getLong());
                default -> throw new MalformedRecordException("unknown record type " + type);
            };
            if (body.hasRemaining()) {
                throw new MalformedRecordException(body.remaining() + " unexpected bytes after record type " + type);
            }
            return entry;
        } catch (BufferUnderflowException | IllegalArgumentException | java.io.UncheckedIOException e) {
            throw new MalformedRecordException("record fields do not parse: " + e);
        }
    }

    private static JobEntry decodeJob(ByteBuffer b, byte version) {
        String queue = string(b);
        String id = string(b);
        JobState state = state(b.get());
        int priority = b.getInt();
        long seq = b.getLong();
        Instant createdAt = instant(b);
        Instant runAt = instant(b);
        int attempts = b.getInt();
        int maxAttempts = b.getInt();
        int stalls = b.getInt();
        int maxStalls = b.getInt();
        Duration resultTtl = Duration.ofNanos(b.getLong());
        long token = b.getLong();
        String workerId = string(b);
        Instant leaseDeadline = instant(b);
        Instant expiresAt = instant(b);
        byte[] payload = bytes(b);
        byte[] result = bytes(b);
        byte[] error = bytes(b);
        if (queue == null || id == null || createdAt == null) {
            throw new MalformedRecordException("job record without queue, id or creation time");
        }
        JobError jobError = error == null ? null : JobErrorCodec.decode(error);
        if (version == LEGACY_VERSION) {
            return new JobEntry(new JobRecord(queue, id, state, priority, seq, createdAt, runAt, attempts, maxAttempts,
                    stalls, maxStalls, resultTtl, token, workerId, leaseDeadline, expiresAt, payload, result, jobError),
                    payload != null, true);
        }
        int metadataCount = b.getInt();
        Map<String, String> metadata = metadataCount == -1 ? Map.of() : metadata(b, metadataCount);
        Instant readyAt = instant(b);
        Instant startedAt = instant(b);
        Instant finishedAt = instant(b);
        JobRecord job = new JobRecord(queue, id, state, priority, seq, createdAt, runAt, attempts, maxAttempts,
                stalls, maxStalls, resultTtl, token, workerId, leaseDeadline, expiresAt, payload, result, jobError,
                metadata, readyAt, startedAt, finishedAt);
        return new JobEntry(job, payload != null, metadataCount != -1);
    }

    private static Map<String, String> metadata(ByteBuffer b, int count) {
        if (count < 0 || count > JobMetadata.MAX_ENTRIES) {
            throw new MalformedRecordException("metadata entry count " + count + " out of range");
        }
        if (count == 0) {
            return Map.of();
        }
        Map<String, String> metadata = new LinkedHashMap<>(count * 2);
        for (int i = 0; i < count; i++) {
            String key = requireString(b, "metadata key");
            metadata.put(key, requireString(b, "metadata value"));
        }
        return Collections.unmodifiableMap(metadata);
    }

    private static TotalsEntry totalsEntry(String queue, long completed, long failed) {
        if (completed < 0 || failed < 0) {
            throw new MalformedRecordException("negative finished totals for queue " + queue);
        }
        return new TotalsEntry(queue, completed, failed);
    }

    private static LimitsEntry limitsEntry(String queue, int maxRunning, int rateLimit, long ratePeriodMillis) {
        // QueueLimits checks the values; its IllegalArgumentException makes the record malformed
        return new LimitsEntry(queue, new QueueLimits(maxRunning, rateLimit,
                ratePeriodMillis == -1 ? null : Duration.ofMillis(ratePeriodMillis)));
    }

    private static AdvanceEntry advanceEntry(String queue, String id, Instant nextFireAt, long version) {
        if (version < 2) {
            throw new MalformedRecordException("schedule advanced to version " + version);
        }
        return new AdvanceEntry(queue, id, nextFireAt, version);
    }

    private static Instant requireInstant(ByteBuffer b, String field) {
        Instant t = instant(b);
        if (t == null) {
            throw new MalformedRecordException("record without " + field);
        }
        return t;
    }

    private static byte[] requireBytes(ByteBuffer b, String field) {
        byte[] bytes = bytes(b);
        if (bytes == null) {
            throw new MalformedRecordException("record without " + field);
        }
        return bytes;
    }

    private static String requireString(ByteBuffer b, String field) {
        String s = string(b);
        if (s == null) {
            throw new MalformedRecordException("record without " + field);
        }
        return s;
    }

    private static boolean flag(byte value) {
        if (value != 0 && value != 1) {
            throw new MalformedRecordException("flag byte " + value + " is neither 0 nor 1");
        }
        return value == 1;
    }

    private static Instant instant(ByteBuffer b) {
        long seconds = b.getLong();
        int nanos = b.getInt();
        return seconds == NONE ? null : Instant.ofEpochSecond(seconds, nanos);
    }

    private static String string(ByteBuffer b) {
        byte[] raw = bytes(b);
        return raw == null ? null : new String(raw, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(ByteBuffer b) {
        int length = b.getInt();
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > b.remaining()) {
            throw new MalformedRecordException("field length " + length + " out of range");
        }
        byte[] out = new byte[length];
        b.get(out);
        return out;
    }

    private static byte stateCode(JobState state) {
        return switch (state) {
            case QUEUED -> 1;
            case DELAYED -> 2;
            case PROCESSING -> 3;
            case FAILING -> 4;
            case COMPLETED -> 5;
            case FAILED -> 6;
            case CANCELLED -> 7;
        };
    }

    private static JobState state(byte code) {
        return switch (code) {
            case 1 -> JobState.QUEUED;
            case 2 -> JobState.DELAYED;
            case 3 -> JobState.PROCESSING;
            case 4 -> JobState.FAILING;
            case 5 -> JobState.COMPLETED;
            case 6 -> JobState.FAILED;
            case 7 -> JobState.CANCELLED;
            default -> throw new MalformedRecordException("unknown job state code " + code);
        };
    }
}
