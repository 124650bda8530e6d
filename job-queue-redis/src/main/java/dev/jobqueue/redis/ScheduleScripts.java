package dev.jobqueue.redis;

import dev.jobqueue.spi.ScheduleRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The Java side of the schedule scripts (schedule_upsert.lua, schedule_remove.lua,
 * schedule_advance.lua, schedule_read.lua; KEYS: {@link KeySpace#scheduleKeys()}): a schedule id
 * travels as the hex of its UTF-8 (as job ids do), a fire time as {@code "<epoch second>|<nano>"}
 * (exact) plus its score in the index, the ms rounded up (a schedule is never due early).
 */
final class ScheduleScripts {
    /** Scores stay exact integers in Lua's doubles: fire times beyond ±100,000 years are clamped in the index only. */
    private static final long MAX_SCORE_SECONDS = 3_000_000_000_000L;

    private final LuaScript upsert;
    private final LuaScript remove;
    private final LuaScript advance;
    private final LuaScript read;
    private final ScriptArgs args;

    ScheduleScripts(String prelude, ScriptArgs args) {
        this.upsert = LuaScript.load("schedule_upsert", prelude);
        this.remove = LuaScript.load("schedule_remove", prelude);
        this.advance = LuaScript.load("schedule_advance", prelude);
        this.read = LuaScript.load("schedule_read", prelude);
        this.args = args;
    }

    ScriptCall upsert(KeySpace keys, String scheduleId, byte[] definition, Instant nextFireAt) {
        return ScriptCall.plain(upsert, keys.scheduleKeys(),
                args.head(keys, KeySpace.hexId(scheduleId), definition, time(nextFireAt), score(nextFireAt)), null, "hash");
    }

    ScriptCall remove(KeySpace keys, String scheduleId) {
        return ScriptCall.plain(remove, keys.scheduleKeys(), args.head(keys, ScriptArgs.nonce(), KeySpace.hexId(scheduleId)),
                null, "hash");
    }

    ScriptCall advance(KeySpace keys, String scheduleId, long expectedVersion, Instant nextFireAt) {
        return ScriptCall.plain(advance, keys.scheduleKeys(), args.head(keys, KeySpace.hexId(scheduleId),
                ScriptArgs.ascii(expectedVersion), time(nextFireAt), score(nextFireAt), ScriptArgs.nonce()), null, "hash");
    }

    ScriptCall list(KeySpace keys) {
        return ScriptCall.plain(read, keys.scheduleKeys(), args.head(keys, ScriptArgs.EMPTY), null, "hash");
    }

    ScriptCall due(KeySpace keys, int limit) {
        return ScriptCall.plain(read, keys.scheduleKeys(), args.head(keys, ScriptArgs.ascii(limit)), null, "hash");
    }

    /** The record upsert stored: the definition passed (stored or byte-equal to the stored one) and the meta reply. */
    static ScheduleRecord decodeUpsert(String scheduleId, byte[] definition, Object reply) {
        return record(scheduleId, definition, Replies.text(reply));
    }

    /** The records of a read reply, in reply order (due: earliest first) or, when {@code sortById}, by id. */
    static List<ScheduleRecord> decodeRead(Object reply, boolean sortById) {
        List<?> values = Replies.list(reply);
        List<ScheduleRecord> out = new ArrayList<>(values.size() / 3);
        for (int i = 0; i + 2 < values.size(); i += 3) {
            out.add(record(KeySpace.idOfHex((byte[]) values.get(i)), (byte[]) values.get(i + 1), Replies.text(values.get(i + 2))));
        }
        if (sortById) {
            out.sort(Comparator.comparing(ScheduleRecord::id));
        }
        return out;
    }

    static boolean decodeFlag(Object reply) {
        return Replies.number(reply) == 1;
    }

    private static ScheduleRecord record(String id, byte[] definition, String meta) {
        String[] parts = meta.split("\\|", -1);
        Instant next = Instant.ofEpochSecond(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
        return new ScheduleRecord(id, definition, next, Long.parseLong(parts[0]));
    }

    private static byte[] time(Instant t) {
        return ScriptArgs.utf8(t.getEpochSecond() + "|" + t.getNano());
    }

    /** The fire time in ms, rounded up, clamped to a range Lua's doubles hold exactly. */
    private static byte[] score(Instant t) {
        long seconds = Math.max(-MAX_SCORE_SECONDS, Math.min(MAX_SCORE_SECONDS, t.getEpochSecond()));
        long millis = seconds * 1000 + (t.getNano() + 999_999) / 1_000_000;
        return ScriptArgs.ascii(millis);
    }
}
