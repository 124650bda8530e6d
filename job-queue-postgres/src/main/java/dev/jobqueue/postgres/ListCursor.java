package dev.jobqueue.postgres;

import dev.jobqueue.JobState;
import dev.jobqueue.ListOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque keyset cursor of {@code listJobs}: the state and order it was made for, and the key
 * of the last job returned (QUEUED: priority and sequence; other states: the state's time and
 * sequence). The sequence is unique per job, so the order is total and a job that stays in the
 * state appears exactly once across pages.
 */
record ListCursor(JobState state, ListOrder order, long k1, long k2) {
    private static final String VERSION = "pg1";

    /** How a state's jobs are ordered. */
    enum Key {
        QUEUED(null), DUE("due_at"), LEASE("lease_until"), EXPIRY("expires_at");

        private final String timeColumn;

        Key(String timeColumn) {
            this.timeColumn = timeColumn;
        }

        /** The time column ordering the state, or null for QUEUED (priority, then FIFO). */
        String timeColumn() {
            return timeColumn;
        }

        boolean terminal() {
            return this == EXPIRY;
        }

        static Key of(JobState state) {
            return switch (state) {
                case QUEUED -> QUEUED;
                case DELAYED, FAILING -> DUE;
                case PROCESSING -> LEASE;
                case COMPLETED, FAILED, CANCELLED -> EXPIRY;
            };
        }
    }

    String encode() {
        String plain = VERSION + ":" + state.ordinal() + ":" + order.ordinal() + ":" + k1 + ":" + k2;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @throws IllegalArgumentException naming the cursor when malformed or made for another state or order
     */
    static ListCursor decode(String cursor, JobState state, ListOrder order) {
        String[] parts;
        try {
            parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":", -1);
        } catch (IllegalArgumentException e) {
            throw malformed(cursor);
        }
        if (parts.length != 5 || !VERSION.equals(parts[0])) {
            throw malformed(cursor);
        }
        try {
            int s = Integer.parseInt(parts[1]);
            int o = Integer.parseInt(parts[2]);
            if (s != state.ordinal() || o != order.ordinal()) {
                throw new IllegalArgumentException("cursor was made for another state or order than "
                        + state + " " + order);
            }
            return new ListCursor(state, order, Long.parseLong(parts[3]), Long.parseLong(parts[4]));
        } catch (NumberFormatException e) {
            throw malformed(cursor);
        }
    }

    private static IllegalArgumentException malformed(String cursor) {
        return new IllegalArgumentException("cursor is malformed: " + cursor);
    }
}
