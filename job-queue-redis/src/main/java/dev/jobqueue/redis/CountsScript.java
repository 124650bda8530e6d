package dev.jobqueue.redis;

import dev.jobqueue.JobState;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The Java side of counts.lua: no arguments beyond the head; the reply is one count per state, in {@link #ORDER}. */
final class CountsScript {
    private static final JobState[] ORDER = {JobState.QUEUED, JobState.DELAYED, JobState.PROCESSING, JobState.FAILING,
            JobState.COMPLETED, JobState.FAILED, JobState.CANCELLED};

    private final LuaScript lua;
    private final ScriptArgs args;

    CountsScript(String prelude, ScriptArgs args) {
        this.lua = LuaScript.load("counts", prelude);
        this.args = args;
    }

    ScriptCall call(KeySpace keys) {
        return ScriptCall.plain(lua, keys.fixedKeys(), args.head(keys), null, "hash");
    }

    static Map<JobState, Long> decode(Object reply) {
        List<?> values = Replies.list(reply);
        Map<JobState, Long> counts = new EnumMap<>(JobState.class);
        for (int i = 0; i < ORDER.length; i++) {
            counts.put(ORDER[i], Replies.number(values.get(i)));
        }
        return counts;
    }
}
