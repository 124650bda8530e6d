package dev.jobqueue.redis;

import dev.jobqueue.QueueLimits;
import java.time.Duration;

/**
 * The Java side of limits.lua (KEYS: the fixed keys, the limits and the rate log): {@link #set}
 * for setLimits, {@link #get} for limits; the reply is the stored string
 * {@code "<maxRunning>|<rateLimit>|<ratePeriod ms>|<ratePeriod ns>"} (null: none), decoded by
 * {@link #decode}. The window in ms (what claim.lua uses) is rounded up, so no window of the exact
 * period ever holds more than the limit; the ns give {@link #decode} the period back exactly.
 */
final class LimitsScript {
    private static final byte[] SET = ScriptArgs.utf8("set");
    private static final byte[] GET = ScriptArgs.utf8("get");

    private final LuaScript lua;
    private final ScriptArgs args;

    LimitsScript(String prelude, ScriptArgs args) {
        this.lua = LuaScript.load("limits", prelude);
        this.args = args;
    }

    ScriptCall set(KeySpace keys, QueueLimits limits) {
        long nanos = limits.ratePeriod() == null ? 0 : limits.ratePeriod().toNanos();
        long millis = (nanos + 999_999) / 1_000_000;
        byte[] value = limits.isUnlimited() ? ScriptArgs.EMPTY
                : ScriptArgs.utf8(limits.maxRunning() + "|" + limits.rateLimit() + "|" + millis + "|" + nanos);
        return ScriptCall.plain(lua, keys.limitsKeys(), args.head(keys, SET, value), null, "string");
    }

    ScriptCall get(KeySpace keys) {
        return ScriptCall.plain(lua, keys.limitsKeys(), args.head(keys, GET, ScriptArgs.EMPTY), null, "string");
    }

    static QueueLimits decode(Object reply) {
        if (reply == null) {
            return QueueLimits.NONE;
        }
        String[] parts = Replies.text(reply).split("\\|");
        int rate = Integer.parseInt(parts[1]);
        return new QueueLimits(Integer.parseInt(parts[0]), rate, rate == 0 ? null : Duration.ofNanos(Long.parseLong(parts[3])));
    }
}
