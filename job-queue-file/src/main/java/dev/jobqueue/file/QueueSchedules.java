package dev.jobqueue.file;

import dev.jobqueue.spi.ScheduleRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The recurring schedules of one queue: by id (sorted, for {@code listSchedules}) and by next fire
 * time (for {@code dueSchedules}, which reads only the due ones). Records are the SPI's immutable
 * {@link ScheduleRecord}s; their definition arrays are never handed out (copies are).
 */
final class QueueSchedules {
    private static final Comparator<ScheduleRecord> FIRE_ORDER = Comparator
            .comparing(ScheduleRecord::nextFireAt).thenComparing(ScheduleRecord::id);

    private final TreeMap<String, ScheduleRecord> byId = new TreeMap<>();
    private final NavigableSet<ScheduleRecord> byFireTime = new TreeSet<>(FIRE_ORDER);

    ScheduleRecord get(String id) {
        return byId.get(id);
    }

    void put(ScheduleRecord schedule) {
        ScheduleRecord old = byId.put(schedule.id(), schedule);
        if (old != null) {
            byFireTime.remove(old);
        }
        byFireTime.add(schedule);
    }

    /** Removes the schedule; returns whether it existed. */
    boolean remove(String id) {
        ScheduleRecord old = byId.remove(id);
        if (old == null) {
            return false;
        }
        byFireTime.remove(old);
        return true;
    }

    boolean isEmpty() {
        return byId.isEmpty();
    }

    /** Every schedule, sorted by id, as copies. */
    List<ScheduleRecord> list() {
        List<ScheduleRecord> all = new ArrayList<>(byId.size());
        byId.values().forEach(s -> all.add(copy(s)));
        return all;
    }

    /** Up to {@code limit} schedules due at {@code now}, earliest first, as copies; reads only those. */
    List<ScheduleRecord> due(Instant now, int limit) {
        List<ScheduleRecord> due = new ArrayList<>();
        for (ScheduleRecord s : byFireTime) {
            if (due.size() >= limit || s.nextFireAt().isAfter(now)) {
                break;
            }
            due.add(copy(s));
        }
        return due;
    }

    void forEach(Consumer<ScheduleRecord> action) {
        byId.values().forEach(action);
    }

    static ScheduleRecord copy(ScheduleRecord s) {
        return new ScheduleRecord(s.id(), s.definition().clone(), s.nextFireAt(), s.version());
    }
}
