package dev.jobqueue.redis;

import dev.jobqueue.JobState;
import dev.jobqueue.spi.JobErrorCodec;
import dev.jobqueue.spi.JobSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Decodes script replies (and published snapshots) into SPI values. */
final class Replies {
    /** Number of snapshot values: the scripts' SNAPSHOT_FIELDS, then the lease deadline. */
    static final int SNAPSHOT_FIELDS = 11;
    /** Number of full snapshot values: the snapshot's, then payload and metadata. */
    static final int FULL_SNAPSHOT_FIELDS = 13;
    /** Snapshot values published by versions before sa/fa: a message of them is still understood. */
    private static final int OLD_SNAPSHOT_FIELDS = 9;

    private Replies() {
    }

    /**
     * A snapshot (without payload and metadata) from the values of
     * {@code st, m, ra, c, stl, res, err, ex, sa, fa} and the lease deadline, starting at
     * {@code from} in {@code values} ({@code m} packs the fields fixed at enqueue, see
     * {@link Packed}; {@code c} is the last claim's {@code <token>|<attempts>|<workerId>}; absent
     * {@code c}/{@code stl} mean 0). A record keeps state-specific fields after the job moves on
     * (the scripts save the HDEL), so each is read only in the states it belongs to.
     */
    static JobSnapshot snapshot(String id, List<?> values, int from) {
        return snapshot(id, values, from, null, null);
    }

    /** A snapshot with payload and metadata: {@link #snapshot}'s values, then {@code pl, md}. */
    static JobSnapshot fullSnapshot(String id, List<?> values, int from) {
        return snapshot(id, values, from, (byte[]) values.get(from + SNAPSHOT_FIELDS),
                (byte[]) values.get(from + SNAPSHOT_FIELDS + 1));
    }

    private static JobSnapshot snapshot(String id, List<?> values, int from, byte[] payload, byte[] metadata) {
        JobState state = JobState.valueOf(text(values.get(from)));
        Packed m = Packed.of((byte[]) values.get(from + 1));
        byte[] claim = (byte[]) values.get(from + 3);
        boolean waiting = state == JobState.DELAYED || state == JobState.FAILING;
        boolean processing = state == JobState.PROCESSING;
        byte[] err = state == JobState.FAILING || state == JobState.FAILED ? (byte[]) values.get(from + 6) : null;
        return new JobSnapshot(id, state,
                m.priority(),
                m.createdAt(),
                waiting ? instant(values.get(from + 2)) : null,
                claim == null ? 0 : (int) claimField(claim, 1),
                m.maxAttempts(),
                (int) number(values.get(from + 4)),
                state == JobState.COMPLETED ? (byte[]) values.get(from + 5) : null,
                err == null ? null : JobErrorCodec.decode(err),
                state.isTerminal() ? instant(values.get(from + 7)) : null,
                processing && claim != null ? claimWorker(claim) : null,
                processing ? instant(values.get(from + 10)) : null,
                payload,
                MetadataCodec.decode(metadata),
                instant(values.get(from + 8)),
                state.isTerminal() ? instant(values.get(from + 9)) : null);
    }

    /** Field {@code index} (0 token, 1 attempts) of the claim info {@code <token>|<attempts>|<workerId>}. */
    private static long claimField(byte[] c, int index) {
        int i = 0;
        for (int skip = 0; skip < index; skip++) {
            while (c[i] != '|') {
                i++;
            }
            i++;
        }
        long v = 0;
        while (c[i] != '|') {
            v = v * 10 + (c[i] - '0');
            i++;
        }
        return v;
    }

    /** The worker id of the claim info {@code <token>|<attempts>|<workerId>} (may itself contain '|'). */
    private static String claimWorker(byte[] c) {
        int i = 0;
        for (int bars = 0; bars < 2; i++) {
            if (c[i] == '|') {
                bars++;
            }
        }
        return new String(c, i, c.length - i, StandardCharsets.UTF_8);
    }

    /**
     * The job fields fixed at enqueue, packed by the enqueue script into the hash field {@code m}:
     * {@code <sq>|<createdAt>|<ready score = -priority>|<maxAttempts>|<maxStalls>|<nonce>}.
     */
    record Packed(int priority, Instant createdAt, int maxAttempts) {
        static Packed of(byte[] m) {
            long[] parts = new long[4];
            int field = 0;
            int i = 0;
            while (i < m.length && m[i] != '|') {
                i++; // sq: hex, not needed here
            }
            i++;
            for (; field < 4 && i <= m.length; field++) {
                boolean negative = i < m.length && m[i] == '-';
                if (negative) {
                    i++;
                }
                long v = 0;
                while (i < m.length && m[i] != '|') {
                    v = v * 10 + (m[i] - '0');
                    i++;
                }
                parts[field] = negative ? -v : v;
                i++;
            }
            if (field < 4) {
                throw new IllegalArgumentException("malformed job record field m: " + new String(m, StandardCharsets.US_ASCII));
            }
            return new Packed((int) -parts[1], Instant.ofEpochMilli(parts[0]), (int) parts[2]);
        }
    }

    /**
     * Decodes a PUBLISHed terminal notification: the job's hex id then the snapshot values, each as
     * {@code <length>:<bytes>} or {@code -} for nil (see {@code encode_fields} in prelude.lua).
     */
    static JobSnapshot publishedSnapshot(byte[] message) {
        List<Object> fields = new ArrayList<>(SNAPSHOT_FIELDS + 1);
        int i = 0;
        while (i < message.length) {
            if (message[i] == '-') {
                fields.add(null);
                i++;
                continue;
            }
            int colon = i;
            while (message[colon] != ':') {
                colon++;
            }
            int length = Integer.parseInt(new String(message, i, colon - i, StandardCharsets.US_ASCII));
            byte[] value = new byte[length];
            System.arraycopy(message, colon + 1, value, 0, length);
            fields.add(value);
            i = colon + 1 + length;
        }
        if (fields.size() == OLD_SNAPSHOT_FIELDS + 1) {
            // from a version without startedAt/finishedAt (sa, fa): they go before the lease deadline
            fields.add(fields.size() - 1, null);
            fields.add(fields.size() - 1, null);
        }
        if (fields.size() != SNAPSHOT_FIELDS + 1) {
            throw new IllegalArgumentException("malformed terminal notification (" + fields.size() + " fields)");
        }
        return snapshot(KeySpace.idOfHex((byte[]) fields.get(0)), fields, 1);
    }

    static String text(Object value) {
        return new String((byte[]) value, StandardCharsets.UTF_8);
    }

    /** Integers come back as Long (script return) or as bytes (hash values, written by Lua as %.14g). */
    static long number(Object value) {
        if (value == null) {
            return 0;
        }
        if (value instanceof Long l) {
            return l;
        }
        String s = new String((byte[]) value, StandardCharsets.US_ASCII);
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return (long) Double.parseDouble(s);
        }
    }

    static Instant instant(Object value) {
        return value == null ? null : Instant.ofEpochMilli(number(value));
    }

    static List<?> list(Object value) {
        return (List<?>) value;
    }
}
