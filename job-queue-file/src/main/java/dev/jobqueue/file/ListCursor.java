package dev.jobqueue.file;

import dev.jobqueue.JobState;
import dev.jobqueue.ListOrder;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;

/**
 * The keyset cursor of {@link FileStorage#listJobs}: the sort key of the last job of a page (in
 * the order {@link QueueIndex#order} keeps that state: priority and sequence for QUEUED, else the
 * due time, lease deadline or expiry and the sequence; then the id), plus the state and order it
 * was made for. The next page starts strictly after that key, so a job that stays in the state is
 * listed once however the others move. Opaque to callers: URL-safe Base64 of
 * {@code [byte version][byte state][byte order][key][id as UTF-8]}.
 */
final class ListCursor {
    private static final byte VERSION = 1;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private ListCursor() {
    }

    static String encode(JobRecord last, JobState state, ListOrder order) {
        byte[] id = last.id().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(3 + 20 + id.length);
        b.put(VERSION).put((byte) state.ordinal()).put((byte) order.ordinal());
        if (state == JobState.QUEUED) {
            b.putLong(last.priority()).putInt(0);
        } else {
            Instant key = sortTime(last, state);
            b.putLong(key.getEpochSecond()).putInt(key.getNano());
        }
        b.putLong(last.seq()).put(id);
        return ENCODER.encodeToString(b.array());
    }

    /**
     * A probe record that sorts exactly where the cursor's job did, for {@code tailSet}.
     *
     * @throws IllegalArgumentException naming the cursor when it is malformed or was made for
     *         another state or order
     */
    static JobRecord decode(String cursor, String queue, JobState state, ListOrder order) {
        ByteBuffer b;
        try {
            b = ByteBuffer.wrap(DECODER.decode(cursor));
        } catch (IllegalArgumentException e) {
            throw malformed();
        }
        try {
            if (b.get() != VERSION) {
                throw malformed();
            }
            int stateCode = b.get();
            int orderCode = b.get();
            if (stateCode != state.ordinal() || orderCode != order.ordinal()) {
                throw new IllegalArgumentException("cursor was made for another state or order than "
                        + state + " " + order);
            }
            long first = b.getLong();
            int nanos = b.getInt();
            long seq = b.getLong();
            String id = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(b).toString();
            if (state == JobState.QUEUED) {
                if (nanos != 0 || first != (int) first) {
                    throw malformed();
                }
                return probe(queue, id, state, (int) first, seq, Instant.EPOCH);
            }
            return probe(queue, id, state, 0, seq, Instant.ofEpochSecond(first, nanos));
        } catch (BufferUnderflowException | CharacterCodingException | DateTimeException e) {
            throw malformed();
        }
    }

    private static Instant sortTime(JobRecord job, JobState state) {
        return switch (state) {
            case DELAYED, FAILING -> job.runAt();
            case PROCESSING -> job.leaseDeadline();
            default -> job.expiresAt();
        };
    }

    private static JobRecord probe(String queue, String id, JobState state, int priority, long seq, Instant time) {
        return new JobRecord(queue, id, state, priority, seq, time, time, 0, 0, 0, 0, Duration.ZERO, 0, null, time,
                time, null, null, null);
    }

    private static IllegalArgumentException malformed() {
        return new IllegalArgumentException("cursor is malformed (pass a nextCursor returned by listJobs, or null)");
    }
}
