package dev.jobqueue.spi;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A recurring schedule as a storage keeps it: an opaque definition (the library's JSON: cron or
 * interval, time zone, payload template, enqueue options, misfire policy), the next fire time and a
 * version that changes with every write, so that of several processes firing the same schedule
 * only one advances it ({@link Storage#advanceSchedule}).
 *
 * <!-- snippet: spi-schedule-record -->
 * <pre>{@code
 * for (ScheduleRecord due : storage.dueSchedules("reports", 100)) {
 *     // enqueue the job of due.nextFireAt() (its id holds the fire time, so a second enqueue is a no-op), then:
 *     storage.advanceSchedule("reports", due.id(), due.version(), nextFireAfter(due));
 * }
 * }</pre>
 *
 * @param id         the schedule's id, unique within its queue (a name: see {@link Storage})
 * @param definition the library's encoded definition; storages store and return it byte for byte
 * @param nextFireAt when the schedule fires next
 * @param version    1 when created, + 1 on every change (upsert with another definition, advance)
 */
public record ScheduleRecord(String id, byte[] definition, Instant nextFireAt, long version) {
    /** The largest definition a storage must keep, in bytes (64 KiB). */
    public static final int MAX_DEFINITION_BYTES = 65_536;

    /**
     * Checks the record.
     *
     * @param id see {@link #id()}
     * @param definition see {@link #definition()}
     * @param nextFireAt see {@link #nextFireAt()}
     * @param version see {@link #version()}
     */
    public ScheduleRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(nextFireAt, "nextFireAt");
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1, got " + version);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScheduleRecord r && id.equals(r.id) && Arrays.equals(definition, r.definition)
                && nextFireAt.equals(r.nextFireAt) && version == r.version;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, Arrays.hashCode(definition), nextFireAt, version);
    }

    @Override
    public String toString() {
        return "ScheduleRecord[id=" + id + ", definition=" + definition.length + " bytes, nextFireAt=" + nextFireAt
                + ", version=" + version + "]";
    }
}
