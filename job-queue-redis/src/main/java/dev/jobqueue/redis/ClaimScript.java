package dev.jobqueue.redis;

import dev.jobqueue.spi.ClaimedJob;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The Java side of claim.lua: one claim call per request (KEYS: the fixed keys and the pause
 * flag), and its reply decoded into claimed jobs, or "paused".
 */
final class ClaimScript {
    /**
     * The reply's head: lease deadline, ms until the next DELAYED/FAILING job is due (-1: none, -2:
     * paused), claimed-at, ms until a flow-control hold may end (-1: not held), the hold's kind.
     */
    private static final int HEAD = 5;
    /** Reply values per job: hid, payload, attempt, m, token, ready-at, metadata. */
    private static final int PER_JOB = 7;
    private static final long PAUSED = -2;

    private final LuaScript lua;
    private final ScriptArgs args;

    ClaimScript(String prelude, ScriptArgs args) {
        this.lua = LuaScript.load("claim", prelude);
        this.args = args;
    }

    /** A claim call; a fresh nonce per call (the executor resends the same call, same nonce, after a lost reply). */
    ScriptCall call(KeySpace keys, IdleClaimers.ClaimRequest request) {
        List<byte[]> argv = args.head(keys, request.workerId(), request.max(), request.leaseMillis(), ScriptArgs.nonce());
        return ScriptCall.plain(lua, keys.claimKeys(), argv, null, null);
    }

    /** Why a claim took nothing although jobs may be ready: see {@link Claimed#hold()}. */
    enum Hold {
        /** Not held back. */
        NONE,
        /** The queue is throttled; the hold ends at a known time. */
        THROTTLE,
        /** maxRunning jobs are PROCESSING; the hold ends when one finishes (time unknown). */
        MAX_RUNNING,
        /** rateLimit jobs were claimed in the last ratePeriod; the hold ends when the oldest leaves the window. */
        RATE
    }

    /**
     * A decoded reply: the jobs taken, ms until the next job is due (-1: none due later), whether
     * the queue is paused (then nothing was taken or promoted), and whether flow control held the
     * claim back (then nothing was taken) and for how many ms at least ({@code holdMillis}, 0 when
     * unknown).
     */
    record Claimed(List<ClaimedJob> jobs, long msUntilNextDue, boolean paused, Hold hold, long holdMillis) {
    }

    static Claimed decode(Object reply) {
        List<?> values = Replies.list(reply);
        Instant deadline = Replies.instant(values.get(0));
        Instant claimedAt = Replies.instant(values.get(2));
        List<ClaimedJob> jobs = new ArrayList<>((values.size() - HEAD) / PER_JOB);
        for (int i = HEAD; i + PER_JOB - 1 < values.size(); i += PER_JOB) {
            Replies.Packed m = Replies.Packed.of((byte[]) values.get(i + 3));
            jobs.add(new ClaimedJob(KeySpace.idOfHex((byte[]) values.get(i)), (byte[]) values.get(i + 1),
                    (int) Replies.number(values.get(i + 2)), m.maxAttempts(), m.createdAt(),
                    Replies.number(values.get(i + 4)), deadline, MetadataCodec.decode((byte[]) values.get(i + 6)),
                    Replies.instant(values.get(i + 5)), claimedAt));
        }
        long nextDue = Replies.number(values.get(1));
        long holdMillis = Replies.number(values.get(3));
        Hold hold = Hold.values()[(int) Replies.number(values.get(4))];
        return new Claimed(jobs, nextDue == PAUSED ? -1 : nextDue, nextDue == PAUSED, hold, Math.max(0, holdMillis));
    }

    /** Whether a reply (e.g. of a hand-off claim made by an enqueue) took any job. */
    static boolean tookJobs(Object reply) {
        return Replies.list(reply).size() > HEAD;
    }
}
