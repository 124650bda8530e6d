package dev.jobqueue.redis;

import dev.jobqueue.JobError;
import dev.jobqueue.JobState;
import dev.jobqueue.spi.JobErrorCodec;
import dev.jobqueue.spi.StalledJob;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Java side of requeue_expired.lua (the Reaper): expired leases count a stall; a job over its
 * maxStalls becomes FAILED with a "stalled too often" error. That error is encoded by
 * {@link JobErrorCodec} like every other, as a template whose numbers the script fills in (the
 * stall count, maxStalls, attempts and failedAt are only known there): ARGV[5] is the encoded
 * error with a {@code %d} in place of each, ARGV[6] names their order ('s' stalls, 'm' maxStalls,
 * 'a' attempts, 'f' failedAt).
 */
final class RequeueExpiredScript {
    static final String STALLED_TYPE = "dev.jobqueue.StalledTooOften";
    /** Stand-ins for the numbers the script fills in; found once in the encoded template. */
    private static final Map<Character, Long> STAND_INS = Map.of(
            's', 7_000_000_001L, 'm', 7_000_000_002L, 'a', 1_999_999_993L, 'f', 7_000_000_004L);
    private static final byte[][] TEMPLATE = template();

    private final LuaScript lua;
    private final ScriptArgs args;

    RequeueExpiredScript(String prelude, ScriptArgs args) {
        this.lua = LuaScript.load("requeue_expired", prelude);
        this.args = args;
    }

    ScriptCall call(KeySpace keys, int limit) {
        return ScriptCall.plain(lua, keys.fixedKeys(), args.head(keys, ScriptArgs.ascii(limit), TEMPLATE[0], TEMPLATE[1]),
                null, "hash");
    }

    /** The reply, {hid, workerId, stalls, newState} per job, as stalled jobs. */
    static List<StalledJob> decode(Object reply) {
        List<?> perJob = Replies.list(reply);
        List<StalledJob> stalled = new ArrayList<>(perJob.size());
        for (Object o : perJob) {
            List<?> s = Replies.list(o);
            stalled.add(new StalledJob(KeySpace.idOfHex((byte[]) s.get(0)), s.get(1) == null ? null : Replies.text(s.get(1)),
                    (int) Replies.number(s.get(2)), JobState.valueOf(Replies.text(s.get(3)))));
        }
        return stalled;
    }

    /** The message of the error, also used to build the template (the script fills in the numbers). */
    static String message(long stalls, long maxStalls) {
        return "job stalled " + stalls + " times (maxStalls " + maxStalls + ")";
    }

    /** {format for Lua's string.format, order of the values}: the codec's bytes with %d for each stand-in. */
    private static byte[][] template() {
        JobError sample = new JobError(STALLED_TYPE, message(STAND_INS.get('s'), STAND_INS.get('m')), null, null,
                STAND_INS.get('a').intValue(), Instant.ofEpochMilli(STAND_INS.get('f')));
        String json = new String(JobErrorCodec.encode(sample), StandardCharsets.UTF_8).replace("%", "%%");
        TreeMap<Integer, Character> byPosition = new TreeMap<>();
        for (Map.Entry<Character, Long> e : STAND_INS.entrySet()) {
            String digits = Long.toString(e.getValue());
            int at = json.indexOf(digits);
            if (at < 0 || json.indexOf(digits, at + 1) >= 0) {
                throw new IllegalStateException("the stalled error template needs " + digits + " exactly once: " + json);
            }
            byPosition.put(at, e.getKey());
        }
        StringBuilder order = new StringBuilder();
        for (char value : byPosition.values()) {
            order.append(value);
            json = json.replace(Long.toString(STAND_INS.get(value)), "%d");
        }
        return new byte[][] {json.getBytes(StandardCharsets.UTF_8), order.toString().getBytes(StandardCharsets.US_ASCII)};
    }
}
