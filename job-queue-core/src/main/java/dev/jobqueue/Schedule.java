package dev.jobqueue;

import static dev.jobqueue.Arguments.check;
import static dev.jobqueue.Arguments.notNull;

import dev.jobqueue.internal.FireTimes;
import dev.jobqueue.spi.CheckedStorage;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A recurring job: when it fires (a cron expression or a fixed interval), what it enqueues
 * (payload and {@link EnqueueOptions}) and what happens to fire times missed during downtime
 * ({@link MisfirePolicy}). Stored in the queue's storage with {@link Queue#schedules()}; every
 * started {@link Queue} of that queue fires it, and the job of each fire time is enqueued once
 * however many processes serve the queue (its id is {@code <schedule id>@<fire time in epoch
 * millis>}, so a second enqueue is a duplicate).
 *
 * <p>An immutable value: {@link #zone}, {@link #payload}, {@link #options} and {@link #misfire}
 * each return a changed copy, validating their argument at once.
 *
 * <!-- snippet: schedule -->
 * <pre>{@code
 * Schedule<Report> nightly = Schedule.cron("nightly-report", "0 3 * * *")   // 03:00 every day
 *         .zone(ZoneId.of("Europe/Berlin"))
 *         .payload(new Report("sales"))
 *         .options(EnqueueOptions.builder().priority(5).build())
 *         .misfire(MisfirePolicy.RUN_ONCE);
 * queue.schedules().upsert(nightly);
 * queue.schedules().upsert(Schedule.every("cache-refresh", Duration.ofMinutes(10)).payload(new Report("cache")));
 * }</pre>
 *
 * <p>Cron expressions have the 5 Unix fields (minute hour day-of-month month day-of-week, with
 * lists, ranges, steps and names like MON); a 6th (seconds) field is rejected: use
 * {@link #every} for sub-minute schedules. They follow the wall clock of {@link #zone} (default
 * UTC): a time skipped when clocks go forward fires just after the gap (02:30 becomes 03:30), a
 * time repeated when clocks go back fires once. Intervals fire at the multiples of the interval
 * since the epoch (every hour: on the full hour, UTC), so all processes agree on them.
 *
 * @param <P> the payload type of the queue
 */
public final class Schedule<P> {
    /** The longest schedule id: the job id {@code <id>@<epoch millis>} must stay within 1,024 chars. */
    public static final int MAX_ID_LENGTH = 900;

    private final String id;
    private final String cron;       // null for an interval
    private final Duration interval; // null for a cron schedule
    private final ZoneId zone;
    private final P payload;
    private final EnqueueOptions options;
    private final MisfirePolicy misfire;
    private final FireTimes fireTimes;

    private Schedule(String id, String cron, Duration interval, ZoneId zone, P payload, EnqueueOptions options,
                     MisfirePolicy misfire, FireTimes fireTimes) {
        this.id = id;
        this.cron = cron;
        this.interval = interval;
        this.zone = zone;
        this.payload = payload;
        this.options = options;
        this.misfire = misfire;
        this.fireTimes = fireTimes;
    }

    /**
     * A schedule firing at the times of a 5-field Unix cron expression, in UTC unless {@link #zone} says otherwise.
     *
     * @param <P> the payload type
     * @param id the schedule's id within its queue (at most {@value #MAX_ID_LENGTH} chars)
     * @param cron e.g. {@code "0 3 * * *"} (03:00 daily) or {@code "0 9-17 * * MON-FRI"} (hourly on weekdays, 09:00 to 17:00)
     * @return a schedule without payload, default options, {@link MisfirePolicy#RUN_ONCE}
     * @throws IllegalArgumentException naming {@code cron} with the expression and the failing field
     */
    public static <P> Schedule<P> cron(String id, String cron) {
        String checkedId = scheduleId(id);
        notNull(cron, "cron");
        String normalized = String.join(" ", cron.trim().split("\\s+"));
        return new Schedule<>(checkedId, normalized, null, ZoneOffset.UTC, null, EnqueueOptions.defaults(),
                MisfirePolicy.RUN_ONCE, FireTimes.cron(cron, ZoneOffset.UTC));
    }

    /**
     * A schedule firing every {@code interval}, at the multiples of it since the epoch.
     *
     * @param <P> the payload type
     * @param id the schedule's id within its queue (at most {@value #MAX_ID_LENGTH} chars)
     * @param interval the period (at least 1 ms; whole milliseconds)
     * @return a schedule without payload, default options, {@link MisfirePolicy#RUN_ONCE}
     * @throws IllegalArgumentException naming {@code interval} when it is below 1 ms
     */
    public static <P> Schedule<P> every(String id, Duration interval) {
        String checkedId = scheduleId(id);
        notNull(interval, "interval");
        check(interval.compareTo(Duration.ofMillis(1)) >= 0, "interval must be >= 1 ms, got " + interval);
        check(interval.compareTo(Arguments.MAX_DURATION) <= 0, "interval must be at most 100 years, got " + interval);
        check(interval.getNano() % 1_000_000 == 0, "interval must be whole milliseconds, got " + interval);
        return new Schedule<>(checkedId, null, interval, ZoneOffset.UTC, null, EnqueueOptions.defaults(),
                MisfirePolicy.RUN_ONCE, FireTimes.every(interval));
    }

    private static String scheduleId(String id) {
        CheckedStorage.requireValidName(id, "id");
        check(id.length() <= MAX_ID_LENGTH, "id must be at most " + MAX_ID_LENGTH
                + " chars (the job id <id>@<fire time> must fit 1,024), got " + id.length());
        return id;
    }

    /**
     * This schedule in another time zone (cron schedules follow its wall clock; intervals ignore it).
     *
     * @param zone e.g. {@code ZoneId.of("Europe/Berlin")}
     * @return a changed copy
     */
    public Schedule<P> zone(ZoneId zone) {
        notNull(zone, "zone");
        FireTimes times = cron != null ? FireTimes.cron(cron, zone) : fireTimes;
        return new Schedule<>(id, cron, interval, zone, payload, options, misfire, times);
    }

    /**
     * {@link #zone(ZoneId)} by zone name.
     *
     * @param zone a zone id such as {@code "Europe/Berlin"} or {@code "UTC"}
     * @return a changed copy
     * @throws IllegalArgumentException naming {@code zone} when the zone is unknown or malformed
     */
    public Schedule<P> zone(String zone) {
        notNull(zone, "zone");
        ZoneId parsed;
        try {
            parsed = ZoneId.of(zone);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("zone '" + zone + "' is unknown: " + e.getMessage(), e);
        }
        return zone(parsed);
    }

    /**
     * This schedule with the payload of every job it enqueues (serialized with the queue's payload serde).
     *
     * @param <Q> the payload type
     * @param payload the payload; {@code null} allowed when the queue's serde accepts it
     * @return a changed copy
     */
    public <Q> Schedule<Q> payload(Q payload) {
        return new Schedule<>(id, cron, interval, zone, payload, options, misfire, fireTimes);
    }

    /**
     * This schedule with the options of every job it enqueues. A {@code runAt} is rejected (each
     * fire time is the run time); a {@code delay} delays each job after its fire time.
     *
     * @param options the enqueue options
     * @return a changed copy
     */
    public Schedule<P> options(EnqueueOptions options) {
        notNull(options, "options");
        check(options.runAt() == null, "options must not set runAt: each fire time is the job's run time");
        return new Schedule<>(id, cron, interval, zone, payload, options, misfire, fireTimes);
    }

    /**
     * This schedule with another misfire policy.
     *
     * @param misfire what to do with fire times missed during downtime
     * @return a changed copy
     */
    public Schedule<P> misfire(MisfirePolicy misfire) {
        notNull(misfire, "misfire");
        return new Schedule<>(id, cron, interval, zone, payload, options, misfire, fireTimes);
    }

    /**
     * The schedule's id within its queue.
     *
     * @return the id
     */
    public String id() {
        return id;
    }

    /**
     * The cron expression (fields separated by one space), or {@code null} for an interval schedule.
     *
     * @return the expression
     */
    public String cron() {
        return cron;
    }

    /**
     * The interval, or {@code null} for a cron schedule.
     *
     * @return the interval
     */
    public Duration interval() {
        return interval;
    }

    /**
     * The zone of a cron schedule's wall clock; UTC unless set.
     *
     * @return the zone
     */
    public ZoneId zone() {
        return zone;
    }

    /**
     * The payload of every job this schedule enqueues.
     *
     * @return the payload; {@code null} unless set
     */
    public P payload() {
        return payload;
    }

    /**
     * The options of every job this schedule enqueues.
     *
     * @return the options
     */
    public EnqueueOptions options() {
        return options;
    }

    /**
     * What happens to fire times missed during downtime.
     *
     * @return the policy; {@link MisfirePolicy#RUN_ONCE} unless set
     */
    public MisfirePolicy misfire() {
        return misfire;
    }

    /**
     * The first fire time strictly after {@code time}.
     *
     * @param time the instant to search from
     * @return the next fire time; {@code 9999-12-31T23:59:59Z} when a cron expression matches no later date
     */
    public Instant nextFireAfter(Instant time) {
        return fireTimes.nextAfter(notNull(time, "time"));
    }

    /**
     * The id of the job this schedule enqueues for {@code fireTime}: {@code <id>@<epoch millis>}.
     *
     * @param fireTime a fire time
     * @return the job id
     */
    public String jobId(Instant fireTime) {
        return id + "@" + notNull(fireTime, "fireTime").toEpochMilli();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Schedule<?> s && id.equals(s.id) && Objects.equals(cron, s.cron)
                && Objects.equals(interval, s.interval) && zone.equals(s.zone) && Objects.equals(payload, s.payload)
                && options.equals(s.options) && misfire == s.misfire;
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, cron, interval, zone, payload, options, misfire);
    }

    @Override
    public String toString() {
        return "Schedule[" + id + ", " + (cron != null ? "cron '" + cron + "' " + zone : "every " + interval)
                + ", misfire " + misfire + "]";
    }
}
