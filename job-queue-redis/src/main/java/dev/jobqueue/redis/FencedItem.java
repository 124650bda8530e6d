package dev.jobqueue.redis;

import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.TransitionOutcome;
import java.util.ArrayList;
import java.util.List;

/**
 * The item layout every worker transition shares (each_fenced in prelude.lua): hid, token, the
 * script's own values, nonce; and its plain reply, 1 applied or 0 lease lost.
 */
final class FencedItem {
    private FencedItem() {
    }

    static ScriptCall call(LuaScript lua, KeySpace keys, List<byte[]> head, LeaseRef lease, byte[]... values) {
        List<byte[]> items = new ArrayList<>(3 + values.length);
        items.add(KeySpace.hexId(lease.jobId()));
        items.add(ScriptArgs.ascii(lease.fencingToken()));
        items.addAll(List.of(values));
        items.add(ScriptArgs.nonce()); // per item, so a resend after a lost reply reports APPLIED for exactly what applied
        return ScriptCall.batch(lua, keys.fixedKeys(), head, items, 1, () -> keys.jobKey(lease.jobId()));
    }

    static TransitionOutcome outcome(Object reply) {
        return Replies.number(Replies.list(reply).get(0)) == 1 ? TransitionOutcome.APPLIED : TransitionOutcome.LEASE_LOST;
    }
}
