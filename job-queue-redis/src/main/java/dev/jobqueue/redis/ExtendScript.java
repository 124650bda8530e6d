package dev.jobqueue.redis;

import dev.jobqueue.spi.LeaseRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The Java side of extend.lua (the heartbeat): leases as items of one batchable call, lost leases from the reply. */
final class ExtendScript {
    private final LuaScript lua;
    private final ScriptArgs args;

    ExtendScript(String prelude, ScriptArgs args) {
        this.lua = LuaScript.load("extend", prelude);
        this.args = args;
    }

    ScriptCall call(KeySpace keys, List<LeaseRef> leases, Duration lease) {
        List<byte[]> items = new ArrayList<>(leases.size() * 2);
        for (LeaseRef ref : leases) {
            items.add(KeySpace.hexId(ref.jobId()));
            items.add(ScriptArgs.ascii(ref.fencingToken()));
        }
        return ScriptCall.batch(lua, keys.fixedKeys(), args.head(keys, ScriptArgs.positiveMillis(lease)), items,
                leases.size(), () -> keys.jobKey(leases.get(0).jobId()));
    }

    /** The ids of the leases the reply (1 extended, 0 lost, per lease) reports lost. */
    static List<String> lost(List<LeaseRef> leases, Object reply) {
        List<?> perLease = Replies.list(reply);
        List<String> lost = new ArrayList<>();
        for (int i = 0; i < leases.size(); i++) {
            if (Replies.number(perLease.get(i)) == 0) {
                lost.add(leases.get(i).jobId());
            }
        }
        return lost;
    }
}
