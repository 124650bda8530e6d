package dev.jobqueue.postgres;

import dev.jobqueue.spi.ScheduleRecord;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The recurring schedule records of the PostgreSQL storage: one row per (queue, schedule id) in the
 * schedules table of migration 3, keyed like the jobs (bounded keys, so ids of any allowed length
 * fit the index). Every operation is one statement:
 * <ul>
 *   <li>upsert: {@code INSERT ... ON CONFLICT DO UPDATE ... WHERE} the stored definition differs
 *       byte for byte, so an equal definition changes nothing (no new row version either);</li>
 *   <li>due: the {@code (queue, next_fire_at)} index, read only up to now and the limit, so a poll
 *       when nothing is due reads one index entry at most;</li>
 *   <li>advance: an {@code UPDATE ... WHERE version = expected} (compare-and-set; of concurrent
 *       advances of one version, the row lock lets exactly one match).</li>
 * </ul>
 * A fire time is kept as its epoch millisecond plus the nanoseconds within it, so the
 * {@link Instant} comes back exactly; "due" compares it with the database clock (milliseconds).
 */
final class Schedules {
    private static final String COLUMNS = "s.id, s.definition, s.next_fire_at, s.next_fire_ns, s.version";
    private static final Comparator<ScheduleRecord> BY_ID = Comparator.comparing(ScheduleRecord::id);

    private final Database db;
    private final String upsert;
    private final String remove;
    private final String list;
    private final String due;
    private final String advance;

    Schedules(Schema s, Database db) {
        this.db = db;
        String k = s.key;
        String t = s.schedules;
        String row = "s.qkey = " + k + "(?) AND s.ikey = " + k + "(?)";
        // Parameters: queue, id, definition, next_fire_at, next_fire_ns, queue, id. The second
        // branch reads an existing row the upsert left as it was (equal definition).
        upsert = "WITH u AS (INSERT INTO " + t + " AS s (queue, id, definition, next_fire_at, next_fire_ns, version)"
                + " VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT (qkey, ikey) DO UPDATE SET definition = excluded.definition,"
                + " next_fire_at = excluded.next_fire_at, next_fire_ns = excluded.next_fire_ns, version = s.version + 1"
                + " WHERE s.definition <> excluded.definition RETURNING s.next_fire_at, s.next_fire_ns, s.version)"
                + " SELECT u.next_fire_at, u.next_fire_ns, u.version FROM u"
                + " UNION ALL SELECT s.next_fire_at, s.next_fire_ns, s.version FROM " + t + " s"
                + " WHERE " + row + " AND NOT EXISTS (SELECT 1 FROM u)";
        remove = "DELETE FROM " + t + " s WHERE " + row;
        list = "SELECT " + COLUMNS + " FROM " + t + " s WHERE s.qkey = " + k + "(?)";
        // due when (ms, ns) <= (now, 0); parameters: now, queue, limit
        due = "WITH c AS (SELECT " + Sql.NOW + " AS now) SELECT " + COLUMNS + " FROM " + t + " s, c"
                + " WHERE s.qkey = " + k + "(?) AND s.next_fire_at <= c.now AND (s.next_fire_at < c.now OR s.next_fire_ns = 0)"
                + " ORDER BY s.next_fire_at, s.next_fire_ns, s.ikey LIMIT ?";
        advance = "UPDATE " + t + " s SET next_fire_at = ?, next_fire_ns = ?, version = s.version + 1"
                + " WHERE " + row + " AND s.version = ?";
    }

    ScheduleRecord upsert(String queue, String scheduleId, byte[] definition, Instant nextFireAt) {
        String q = Text.encode(queue);
        String id = Text.encode(scheduleId);
        return db.single("upsertSchedule", c -> {
            while (true) {
                try (PreparedStatement ps = c.prepareStatement(upsert)) {
                    Params.bind(ps, q, id, definition, Params.epochMillis(nextFireAt), Params.nanosOfMilli(nextFireAt), q, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            return new ScheduleRecord(scheduleId, definition.clone(),
                                    Params.instant(rs.getLong(1), rs.getInt(2)), rs.getLong(3));
                        }
                    }
                }
                // an equal definition committed by another session after this statement's snapshot: read again
            }
        });
    }

    boolean remove(String queue, String scheduleId) {
        return db.single("removeSchedule", c -> {
            try (PreparedStatement ps = c.prepareStatement(remove)) {
                Params.bind(ps, Text.encode(queue), Text.encode(scheduleId));
                return ps.executeUpdate() > 0;
            }
        });
    }

    List<ScheduleRecord> list(String queue) {
        List<ScheduleRecord> all = db.read("listSchedules", c -> {
            try (PreparedStatement ps = c.prepareStatement(list)) {
                Params.bind(ps, Text.encode(queue));
                return read(ps);
            }
        });
        all.sort(BY_ID); // String.compareTo (UTF-16) order, which the database's byte order is not
        return all;
    }

    List<ScheduleRecord> due(String queue, int limit) {
        return db.read("dueSchedules", c -> {
            try (PreparedStatement ps = c.prepareStatement(due)) {
                Params.bind(ps, db.now(), Text.encode(queue), limit);
                return read(ps);
            }
        });
    }

    boolean advance(String queue, String scheduleId, long expectedVersion, Instant nextFireAt) {
        return db.single("advanceSchedule", c -> {
            try (PreparedStatement ps = c.prepareStatement(advance)) {
                Params.bind(ps, Params.epochMillis(nextFireAt), Params.nanosOfMilli(nextFireAt),
                        Text.encode(queue), Text.encode(scheduleId), expectedVersion);
                return ps.executeUpdate() > 0;
            }
        });
    }

    private static List<ScheduleRecord> read(PreparedStatement ps) throws SQLException {
        List<ScheduleRecord> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new ScheduleRecord(Text.decode(rs.getString(1)), rs.getBytes(2),
                        Params.instant(rs.getLong(3), rs.getInt(4)), rs.getLong(5)));
            }
        }
        return out;
    }
}
