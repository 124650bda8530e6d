package dev.jobqueue.internal;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * When a recurring schedule fires: a 5-field Unix cron expression in a time zone, or a fixed
 * interval aligned to the epoch. Immutable and thread-safe.
 *
 * <p>Cron times are wall-clock times of the zone, each fired once:
 * <ul>
 *   <li>a time that does not exist (the hour skipped when clocks go forward) fires at the same
 *       offset after the gap, e.g. 02:30 becomes 03:30 on the day Europe/Berlin skips 02:00-03:00;</li>
 *   <li>a time that exists twice (the hour repeated when clocks go back) fires once, at its first
 *       occurrence; the repetition fires nothing.</li>
 * </ul>
 * Day-of-month and day-of-week both restricted match when either matches (Unix cron).
 *
 * <p>Intervals fire at the multiples of the interval since the epoch (1970-01-01T00:00Z), so every
 * process computes the same times: {@code every(1 h)} fires on the full hour (UTC).
 */
public final class FireTimes {
    /** Returned when a cron expression matches no later time (it was valid when the schedule was made). */
    public static final Instant NEVER = Instant.parse("9999-12-31T23:59:59Z");
    private static final CronDefinition UNIX = CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX);
    private static final String[] FIELDS = {"minute", "hour", "day-of-month", "month", "day-of-week"};
    /** Upper bound of the search through repeated or skipped local times (a few per year at most). */
    private static final int MAX_STEPS = 1_000;

    private final ExecutionTime cron; // null for an interval
    private final ZoneId zone;
    private final long intervalMillis;

    private FireTimes(ExecutionTime cron, ZoneId zone, long intervalMillis) {
        this.cron = cron;
        this.zone = zone;
        this.intervalMillis = intervalMillis;
    }

    /**
     * Parses a 5-field Unix cron expression (minute hour day-of-month month day-of-week; lists,
     * ranges, steps and names such as MON or JAN; no seconds field, no {@code @daily} nicknames).
     *
     * @param expression the expression
     * @param zone the zone whose wall clock the expression follows
     * @return the fire times
     * @throws IllegalArgumentException naming {@code cron}, the expression and the failing field
     */
    public static FireTimes cron(String expression, ZoneId zone) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("cron must not be null or blank");
        }
        String[] parts = expression.trim().split("\\s+");
        if (parts.length != 5) {
            throw new IllegalArgumentException("cron must have 5 fields (minute hour day-of-month month day-of-week), got "
                    + parts.length + " in '" + expression + "'" + (parts.length == 6
                    ? "; a seconds field is not accepted: use Schedule.every(id, interval) for sub-minute schedules" : ""));
        }
        CronParser parser = new CronParser(UNIX);
        Cron parsed;
        try {
            parsed = parser.parse(String.join(" ", parts));
            parsed.validate();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cron '" + expression + "' is invalid" + where(parser, expression, parts) + ": "
                    + e.getMessage(), e);
        }
        FireTimes times = new FireTimes(ExecutionTime.forCron(parsed), zone, 0);
        if (times.nextAfter(Instant.now()).equals(NEVER)) {
            throw new IllegalArgumentException("cron '" + expression + "' never fires (no such date)");
        }
        return times;
    }

    /** Which field fails on its own, e.g. " at field 2 (hour) '25'", or "" when only the combination fails. */
    private static String where(CronParser parser, String expression, String[] parts) {
        for (int i = 0; i < parts.length; i++) {
            String[] probe = {"*", "*", "*", "*", "*"};
            probe[i] = parts[i];
            try {
                parser.parse(String.join(" ", probe)).validate();
            } catch (RuntimeException e) {
                return " at field " + (i + 1) + " (" + FIELDS[i] + ") '" + parts[i] + "', column " + column(expression, i);
            }
        }
        return "";
    }

    /** The 1-based column where field {@code index} (0-based) of {@code expression} starts. */
    private static int column(String expression, int index) {
        int field = -1;
        boolean inField = false;
        for (int c = 0; c < expression.length(); c++) {
            boolean space = Character.isWhitespace(expression.charAt(c));
            if (!space && !inField && ++field == index) {
                return c + 1;
            }
            inField = !space;
        }
        return 1;
    }

    /**
     * Fixed-interval fire times at the multiples of {@code interval} since the epoch.
     *
     * @param interval the interval, at least 1 ms
     * @return the fire times
     * @throws IllegalArgumentException naming {@code interval} when it is below 1 ms
     */
    public static FireTimes every(Duration interval) {
        if (interval == null || interval.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException("interval must be >= 1 ms, got " + interval);
        }
        return new FireTimes(null, ZoneOffset.UTC, interval.toMillis());
    }

    /**
     * The first fire time strictly after {@code t}.
     *
     * @param t the instant to search from
     * @return the next fire time, or {@link #NEVER} when a cron expression matches no later time
     */
    public Instant nextAfter(Instant t) {
        if (cron == null) {
            long ms = t.toEpochMilli();
            long next = Math.floorDiv(ms, intervalMillis) * intervalMillis + intervalMillis;
            return Instant.ofEpochMilli(next);
        }
        // Search wall-clock times (a cron expression is about the wall clock), then place each
        // match in the zone: a skipped time moves forward by the gap, a repeated one takes its
        // first offset and is not fired again.
        LocalDateTime local = t.atZone(zone).toLocalDateTime();
        for (int i = 0; i < MAX_STEPS; i++) {
            Optional<ZonedDateTime> match = cron.nextExecution(local.atZone(ZoneOffset.UTC));
            if (match.isEmpty()) {
                return NEVER;
            }
            local = match.get().toLocalDateTime();
            Instant fire = ZonedDateTime.ofLocal(local, zone, null).toInstant();
            if (fire.isAfter(t)) {
                return fire;
            }
        }
        return NEVER;
    }
}
