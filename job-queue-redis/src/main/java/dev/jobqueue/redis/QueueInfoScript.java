package dev.jobqueue.redis;

import dev.jobqueue.spi.FinishedTotals;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The Java side of queue_info.lua (KEYS: the fixed keys and the pause flag; ARGV[4] 'live' or
 * 'totals'): {@link #live} for queueNames' check of one registered name (reply 1 when the queue
 * has a live job or the pause flag), {@link #totals} for finishedTotals (reply {completed, failed}).
 */
final class QueueInfoScript {
    private static final byte[] LIVE = "live".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TOTALS = "totals".getBytes(StandardCharsets.US_ASCII);

    private final LuaScript lua;
    private final ScriptArgs args;

    QueueInfoScript(String prelude, ScriptArgs args) {
        this.lua = LuaScript.load("queue_info", prelude);
        this.args = args;
    }

    ScriptCall live(KeySpace keys) {
        return ScriptCall.plain(lua, keys.keysWithPauseFlag(), args.head(keys, LIVE), null, "zset");
    }

    ScriptCall totals(KeySpace keys) {
        // now '0': the totals need no time, so the prelude does not ask Redis for it
        return ScriptCall.plain(lua, keys.keysWithPauseFlag(), List.of(keys.baseBytes(), ScriptArgs.ZERO, ScriptArgs.ZERO, TOTALS),
                () -> keys.key("totals"), "hash");
    }

    static boolean decodeLive(Object reply) {
        return Replies.number(reply) == 1;
    }

    static FinishedTotals decodeTotals(Object reply) {
        List<?> values = Replies.list(reply);
        return new FinishedTotals(Replies.number(values.get(0)), Replies.number(values.get(1)));
    }
}
