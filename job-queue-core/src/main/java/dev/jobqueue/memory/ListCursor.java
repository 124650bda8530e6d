package dev.jobqueue.memory;

import dev.jobqueue.JobState;
import dev.jobqueue.ListOrder;

/**
 * Where a page of {@code listJobs} ended: the last listed job's key in its state's order, a
 * primary time or rank ({@link ReadyQueue#claimOrderPrimary} for QUEUED, the deadline for the
 * other states) and its enqueue sequence, which makes the order total. The text form names the
 * state and the order too, so a cursor is only accepted where it was made.
 *
 * @param state    the listed state
 * @param order    the listing's direction
 * @param primary  the last job's primary key
 * @param sequence the last job's sequence
 */
record ListCursor(JobState state, ListOrder order, long primary, long sequence) {
    private static final String VERSION = "m1";

    /** The cursor as {@code SnapshotPage.nextCursor} carries it. */
    String encode() {
        return VERSION + "." + state.name() + "." + order.name() + "." + primary + "." + sequence;
    }

    /**
     * Parses a cursor this storage made for {@code state} and {@code order}.
     *
     * @throws IllegalArgumentException naming the cursor when it is malformed or was made for another
     *         state or order
     */
    static ListCursor parse(String text, JobState state, ListOrder order) {
        String[] parts = text.length() > 200 ? new String[0] : text.split("\\.", -1);
        if (parts.length != 5 || !parts[0].equals(VERSION)) {
            throw new IllegalArgumentException("cursor is not a listJobs cursor of this storage");
        }
        if (!parts[1].equals(state.name()) || !parts[2].equals(order.name())) {
            throw new IllegalArgumentException("cursor was made for " + parts[1] + " " + parts[2]
                    + ", not for " + state + " " + order);
        }
        long primary;
        long sequence;
        try {
            primary = Long.parseLong(parts[3]);
            sequence = Long.parseLong(parts[4]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cursor is not a listJobs cursor of this storage");
        }
        if (state == JobState.QUEUED && (primary < -(long) Integer.MAX_VALUE || primary > -(long) Integer.MIN_VALUE)) {
            throw new IllegalArgumentException("cursor is not a listJobs cursor of this storage");
        }
        return new ListCursor(state, order, primary, sequence);
    }

}
