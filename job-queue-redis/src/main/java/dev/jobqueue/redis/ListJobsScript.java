package dev.jobqueue.redis;

import dev.jobqueue.JobState;
import dev.jobqueue.ListOrder;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.SnapshotPage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Java side of list_jobs.lua (listJobs): the cursor's encoding and the page's decoding. A
 * cursor is the (score, member) of the last job of a page in the state's sorted set, with the
 * state and order it was made for, as base64url of {@code <state>|<O or N>|<score>|<member>}
 * (opaque to callers; checked here, so a malformed one never reaches Redis).
 */
final class ListJobsScript {
    /** Jobs per script run: a larger limit is served by several runs (each bounded). */
    static final int MAX_JOBS_PER_CALL = 1000;
    /** Values per job in the reply: the hid, then the full snapshot. */
    private static final int PER_JOB = 1 + Replies.FULL_SNAPSHOT_FIELDS;
    private static final Pattern CURSOR = Pattern.compile("([A-Z]+)\\|([ON])\\|(-?[0-9]{1,19})\\|((?:[0-9a-f]{2})+)");
    /** The ready set's members start with the 16 hex digits of the enqueue sequence number. */
    private static final int SEQUENCE_DIGITS = 16;

    private final LuaScript lua;
    private final ScriptArgs args;

    ListJobsScript(String prelude, ScriptArgs args) {
        this.lua = LuaScript.load("list_jobs", prelude);
        this.args = args;
    }

    /** One run for at most {@link #MAX_JOBS_PER_CALL} jobs after {@code cursor} (null: from the start). */
    ScriptCall call(KeySpace keys, JobState state, ListOrder order, Cursor cursor, int limit) {
        return ScriptCall.plain(lua, keys.fixedKeys(), args.head(keys, ScriptArgs.utf8(state.name()),
                ScriptArgs.utf8(order == ListOrder.OLDEST_FIRST ? "O" : "N"), ScriptArgs.ascii(limit),
                cursor == null ? ScriptArgs.EMPTY : ScriptArgs.ascii(cursor.score()),
                cursor == null ? ScriptArgs.EMPTY : ScriptArgs.utf8(cursor.member())), null, "hash");
    }

    /** A position in a state's sorted set. */
    record Cursor(JobState state, ListOrder order, long score, String member) {
        String encode() {
            String plain = state.name() + "|" + (order == ListOrder.OLDEST_FIRST ? "O" : "N") + "|" + score + "|" + member;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
        }

        /**
         * The cursor {@code text} encodes, which must have been made for {@code state} and {@code order}.
         *
         * @throws IllegalArgumentException naming the cursor when it is malformed or made for another state or order
         */
        static Cursor decode(String text, JobState state, ListOrder order) {
            String plain;
            try {
                plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cursor is malformed: not one this storage returned", e);
            }
            Matcher m = CURSOR.matcher(plain);
            if (!m.matches()) {
                throw new IllegalArgumentException("cursor is malformed: not one this storage returned");
            }
            String o = order == ListOrder.OLDEST_FIRST ? "O" : "N";
            if (!m.group(1).equals(state.name()) || !m.group(2).equals(o)) {
                throw new IllegalArgumentException("cursor was made for another listing (" + m.group(1) + ", "
                        + (m.group(2).equals("O") ? ListOrder.OLDEST_FIRST : ListOrder.NEWEST_FIRST) + "), not for "
                        + state + ", " + order);
            }
            long score;
            try {
                score = Long.parseLong(m.group(3));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("cursor is malformed: not one this storage returned", e);
            }
            String member = m.group(4);
            if (state == JobState.QUEUED && member.length() <= SEQUENCE_DIGITS) {
                throw new IllegalArgumentException("cursor is malformed: not one this storage returned");
            }
            return new Cursor(state, order, score, member);
        }
    }

    /** One run's page: its jobs, and the cursor after its last job (null when no job follows). */
    static Page decode(Object reply, JobState state, ListOrder order) {
        List<?> values = Replies.list(reply);
        List<JobSnapshot> jobs = new ArrayList<>((values.size() - 2) / PER_JOB);
        for (int i = 2; i + PER_JOB - 1 < values.size(); i += PER_JOB) {
            jobs.add(Replies.fullSnapshot(KeySpace.idOfHex((byte[]) values.get(i)), values, i + 1));
        }
        Cursor next = values.get(0) == null ? null
                : new Cursor(state, order, Replies.number(values.get(0)), Replies.text(values.get(1)));
        return new Page(jobs, next);
    }

    /** Jobs and the cursor after them. */
    record Page(List<JobSnapshot> jobs, Cursor next) {
        SnapshotPage toSnapshotPage() {
            return new SnapshotPage(jobs, next == null ? null : next.encode());
        }
    }
}
