package dev.jobqueue.memory;

import dev.jobqueue.spi.ScheduleRecord;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The recurring schedules of one queue: a map sorted by id (what {@code listSchedules} returns)
 * and an index by fire time, then id, so that {@code dueSchedules} reads only the due ones and
 * answers "nothing due" by looking at the first entry. Schedules are few and written rarely (an
 * upsert at start, an advance per fire), so one monitor guards both.
 *
 * <p>Fire times are kept to the millisecond, like every time of the storage. Definitions are
 * copied on the way in and on the way out.
 */
final class ScheduleTable {
    /** One schedule as stored; the definition array is never handed out. */
    private record Entry(byte[] definition, Instant nextFireAt, long version) {
    }

    /** A position in the fire-time index. */
    private record FireKey(Instant at, String id) {
    }

    private static final Comparator<FireKey> FIRE_ORDER =
            Comparator.comparing(FireKey::at).thenComparing(FireKey::id);

    private final TreeMap<String, Entry> byId = new TreeMap<>();
    private final TreeSet<FireKey> byFireTime = new TreeSet<>(FIRE_ORDER);

    synchronized ScheduleRecord upsert(String id, byte[] definition, Instant nextFireAt) {
        Entry old = byId.get(id);
        if (old != null && Arrays.equals(old.definition, definition)) {
            return record(id, old);
        }
        Entry next = new Entry(definition.clone(), millis(nextFireAt), old == null ? 1 : old.version + 1);
        put(id, old, next);
        return record(id, next);
    }

    synchronized boolean remove(String id) {
        Entry old = byId.remove(id);
        if (old == null) {
            return false;
        }
        byFireTime.remove(new FireKey(old.nextFireAt, id));
        return true;
    }

    synchronized List<ScheduleRecord> list() {
        List<ScheduleRecord> out = new ArrayList<>(byId.size());
        for (Map.Entry<String, Entry> e : byId.entrySet()) {
            out.add(record(e.getKey(), e.getValue()));
        }
        return out;
    }

    /** Up to {@code limit} schedules due at {@code now}, earliest first; reads only those. */
    synchronized List<ScheduleRecord> due(Instant now, int limit) {
        if (byFireTime.isEmpty() || byFireTime.first().at.isAfter(now)) {
            return List.of();
        }
        List<ScheduleRecord> out = new ArrayList<>();
        for (FireKey k : byFireTime) {
            if (out.size() >= limit || k.at.isAfter(now)) {
                break;
            }
            out.add(record(k.id, byId.get(k.id)));
        }
        return out;
    }

    synchronized boolean advance(String id, long expectedVersion, Instant nextFireAt) {
        Entry old = byId.get(id);
        if (old == null || old.version != expectedVersion) {
            return false;
        }
        put(id, old, new Entry(old.definition, millis(nextFireAt), old.version + 1));
        return true;
    }

    private void put(String id, Entry old, Entry next) {
        if (old != null) {
            byFireTime.remove(new FireKey(old.nextFireAt, id));
        }
        byId.put(id, next);
        byFireTime.add(new FireKey(next.nextFireAt, id));
    }

    private static ScheduleRecord record(String id, Entry e) {
        return new ScheduleRecord(id, e.definition.clone(), e.nextFireAt, e.version);
    }

    private static Instant millis(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS);
    }
}
