package dev.jobqueue.memory;

import dev.jobqueue.spi.ScheduleRecord;
import dev.jobqueue.spi.Storage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Test scaffolding for the schedule and batch behaviour tests while {@link MemoryStorage} does not
 * implement the schedule SPI yet (branch jq/contract adds it): a MemoryStorage whose schedule
 * methods, when they throw {@link UnsupportedOperationException}, are served by a small in-memory
 * table that follows the SPI's Javadoc. Once MemoryStorage implements them this class is unused
 * ({@link #of} returns the plain storage) and can be deleted.
 */
final class ScheduleTableStorage {
    private ScheduleTableStorage() {
    }

    static Storage of(Clock clock) {
        MemoryStorage memory = new MemoryStorage(clock);
        try {
            memory.listSchedules("probe");
            return memory; // implemented: test the real thing
        } catch (UnsupportedOperationException e) {
            Table table = new Table(clock);
            return (Storage) Proxy.newProxyInstance(Storage.class.getClassLoader(), new Class<?>[] {Storage.class},
                    (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "upsertSchedule":
                                return table.upsert((String) args[0], (String) args[1], (byte[]) args[2], (Instant) args[3]);
                            case "removeSchedule":
                                return table.remove((String) args[0], (String) args[1]);
                            case "listSchedules":
                                return table.list((String) args[0]);
                            case "dueSchedules":
                                return table.due((String) args[0], (Integer) args[1]);
                            case "advanceSchedule":
                                return table.advance((String) args[0], (String) args[1], (Long) args[2], (Instant) args[3]);
                            default:
                                try {
                                    return method.invoke(memory, args);
                                } catch (InvocationTargetException ite) {
                                    throw ite.getCause();
                                }
                        }
                    });
        }
    }

    private static final class Table {
        private final Clock clock;
        private final Map<String, Map<String, ScheduleRecord>> byQueue = new TreeMap<>();

        Table(Clock clock) {
            this.clock = clock;
        }

        private Map<String, ScheduleRecord> of(String queue) {
            return byQueue.computeIfAbsent(queue, q -> new TreeMap<>());
        }

        synchronized ScheduleRecord upsert(String queue, String id, byte[] definition, Instant nextFireAt) {
            ScheduleRecord old = of(queue).get(id);
            if (old != null && Arrays.equals(old.definition(), definition)) {
                return old;
            }
            ScheduleRecord r = new ScheduleRecord(id, definition.clone(), nextFireAt, old == null ? 1 : old.version() + 1);
            of(queue).put(id, r);
            return r;
        }

        synchronized boolean remove(String queue, String id) {
            return of(queue).remove(id) != null;
        }

        synchronized List<ScheduleRecord> list(String queue) {
            return new ArrayList<>(of(queue).values());
        }

        synchronized List<ScheduleRecord> due(String queue, int limit) {
            Instant now = clock.instant();
            return of(queue).values().stream().filter(r -> !r.nextFireAt().isAfter(now))
                    .sorted(Comparator.comparing(ScheduleRecord::nextFireAt)).limit(limit).toList();
        }

        synchronized boolean advance(String queue, String id, long version, Instant next) {
            ScheduleRecord r = of(queue).get(id);
            if (r == null || r.version() != version) {
                return false;
            }
            of(queue).put(id, new ScheduleRecord(id, r.definition(), next, version + 1));
            return true;
        }
    }
}
