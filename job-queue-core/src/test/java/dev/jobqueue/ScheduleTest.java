package dev.jobqueue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.internal.FireTimes;
import dev.jobqueue.internal.ScheduleCodec;
import dev.jobqueue.internal.ScheduleRunner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pure schedule logic: cron parsing and fire times (DST included), misfire decisions, definition encoding. */
class ScheduleTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static String messageOf(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void cronFiresAtTheUnixTimesInUtcByDefault() {
        Schedule<String> s = Schedule.cron("nightly", "0 3 * * *");
        assertEquals(Instant.parse("2026-05-01T03:00:00Z"), s.nextFireAfter(Instant.parse("2026-04-30T03:00:00Z")));
        assertEquals(Instant.parse("2026-05-01T03:00:00Z"), s.nextFireAfter(Instant.parse("2026-05-01T02:59:59.999Z")));
        assertEquals("0 3 * * *", Schedule.cron("x", "  0   3 * *  * ").cron());
        Schedule<String> weekdays = Schedule.cron("w", "*/15 9-10 * * MON-FRI");
        // 2026-05-02 is a Saturday: next is Monday 09:00
        assertEquals(Instant.parse("2026-05-04T09:00:00Z"), weekdays.nextFireAfter(Instant.parse("2026-05-01T10:45:00Z")));
        assertEquals(Instant.parse("2026-05-04T09:15:00Z"), weekdays.nextFireAfter(Instant.parse("2026-05-04T09:00:00Z")));
    }

    @Test
    void dayOfMonthAndDayOfWeekBothSetMatchEitherAsInUnixCron() {
        Schedule<String> s = Schedule.cron("x", "0 0 13 * FRI");
        List<Instant> fires = fires(s, Instant.parse("2026-01-01T00:00:00Z"), 4);
        assertEquals(List.of(Instant.parse("2026-01-02T00:00:00Z"), Instant.parse("2026-01-09T00:00:00Z"),
                Instant.parse("2026-01-13T00:00:00Z"), Instant.parse("2026-01-16T00:00:00Z")), fires);
    }

    @Test
    void cronFollowsTheZoneWallClock() {
        Schedule<String> s = Schedule.<String>cron("nightly", "0 3 * * *").zone(BERLIN);
        assertEquals(Instant.parse("2026-01-15T02:00:00Z"), s.nextFireAfter(Instant.parse("2026-01-14T12:00:00Z")));
        assertEquals(Instant.parse("2026-07-15T01:00:00Z"), s.nextFireAfter(Instant.parse("2026-07-14T12:00:00Z")));
        assertEquals(s, Schedule.<String>cron("nightly", "0 3 * * *").zone("Europe/Berlin"));
    }

    @Test
    void aTimeSkippedBySpringForwardFiresOnceJustAfterTheGap() {
        // Europe/Berlin skips 02:00-03:00 on 2026-03-29
        Schedule<String> s = Schedule.<String>cron("x", "30 2 * * *").zone(BERLIN);
        List<Instant> fires = fires(s, Instant.parse("2026-03-27T12:00:00Z"), 3);
        assertEquals(List.of(
                ZonedDateTime.parse("2026-03-28T02:30+01:00[Europe/Berlin]").toInstant(),
                ZonedDateTime.parse("2026-03-29T03:30+02:00[Europe/Berlin]").toInstant(), // the gap day: once, after it
                ZonedDateTime.parse("2026-03-30T02:30+02:00[Europe/Berlin]").toInstant()), fires);
    }

    @Test
    void aTimeRepeatedByFallBackFiresOnce() {
        // Europe/Berlin repeats 02:00-03:00 on 2026-10-25
        Schedule<String> s = Schedule.<String>cron("x", "30 2 * * *").zone(BERLIN);
        List<Instant> fires = fires(s, Instant.parse("2026-10-24T12:00:00Z"), 2);
        assertEquals(List.of(Instant.parse("2026-10-25T00:30:00Z"), Instant.parse("2026-10-26T01:30:00Z")), fires);
        // searching from inside the repeated hour does not fire the repetition either
        assertEquals(Instant.parse("2026-10-26T01:30:00Z"), s.nextFireAfter(Instant.parse("2026-10-25T01:10:00Z")));
        Schedule<String> halfHourly = Schedule.<String>cron("y", "*/30 * * * *").zone(BERLIN);
        List<Instant> around = fires(halfHourly, Instant.parse("2026-10-24T23:40:00Z"), 4);
        assertEquals(List.of(Instant.parse("2026-10-25T00:00:00Z"), Instant.parse("2026-10-25T00:30:00Z"),
                Instant.parse("2026-10-25T02:00:00Z"), Instant.parse("2026-10-25T02:30:00Z")), around);
    }

    @Test
    void intervalsAreAlignedToTheEpoch() {
        Schedule<String> hourly = Schedule.every("h", Duration.ofHours(1));
        assertEquals(Instant.parse("2026-05-01T11:00:00Z"), hourly.nextFireAfter(Instant.parse("2026-05-01T10:00:00Z")));
        assertEquals(Instant.parse("2026-05-01T11:00:00Z"), hourly.nextFireAfter(Instant.parse("2026-05-01T10:59:59Z")));
        Schedule<String> fast = Schedule.every("f", Duration.ofMillis(250));
        assertEquals(Instant.ofEpochMilli(1_000), fast.nextFireAfter(Instant.ofEpochMilli(750)));
        assertEquals(Instant.ofEpochMilli(1_000), fast.nextFireAfter(Instant.ofEpochMilli(999)));
        assertEquals("h@1777633200000", hourly.jobId(Instant.parse("2026-05-01T11:00:00Z")));
    }

    @Test
    void invalidSchedulesFailFastNamingTheOption() {
        String m = messageOf(() -> Schedule.cron("x", "0 25 * * *"));
        assertTrue(m.contains("cron '0 25 * * *'") && m.contains("field 2 (hour) '25', column 3"), m);
        m = messageOf(() -> Schedule.cron("x", "0 3 x * *"));
        assertTrue(m.contains("field 3 (day-of-month) 'x', column 5"), m);
        m = messageOf(() -> Schedule.cron("x", " 0  3 * 13 *"));
        assertTrue(m.contains("field 4 (month) '13', column 9"), m);
        m = messageOf(() -> Schedule.cron("x", "0 0 3 * * *"));
        assertTrue(m.contains("cron must have 5 fields") && m.contains("seconds") && m.contains("Schedule.every"), m);
        assertTrue(messageOf(() -> Schedule.cron("x", "0 3 * *")).contains("got 4"));
        assertTrue(messageOf(() -> Schedule.cron("x", "@daily")).startsWith("cron"));
        assertTrue(messageOf(() -> Schedule.cron("x", "0 0 30 2 *")).contains("never fires"));
        assertTrue(messageOf(() -> Schedule.cron("x", null)).startsWith("cron"));
        assertTrue(messageOf(() -> Schedule.every("x", Duration.ZERO)).startsWith("interval"));
        assertTrue(messageOf(() -> Schedule.every("x", Duration.ofSeconds(-1))).startsWith("interval"));
        assertTrue(messageOf(() -> Schedule.every("x", Duration.ofNanos(1_500_000))).startsWith("interval"));
        assertTrue(messageOf(() -> Schedule.cron("x", "0 3 * * *").zone("Mars/Olympus")).startsWith("zone 'Mars/Olympus'"));
        assertTrue(messageOf(() -> Schedule.cron("x".repeat(901), "0 3 * * *")).startsWith("id must be at most 900"));
        assertTrue(messageOf(() -> Schedule.cron("", "0 3 * * *")).startsWith("id"));
        Schedule.cron("x".repeat(900), "0 3 * * *"); // the longest id is fine
        assertTrue(messageOf(() -> Schedule.cron("x", "0 3 * * *").options(
                EnqueueOptions.builder().runAt(Instant.parse("2030-01-01T00:00:00Z")).build())).startsWith("options"));
        assertTrue(messageOf(() -> Schedule.cron("x", "0 3 * * *").misfire(null)).startsWith("misfire"));
    }

    @Test
    void misfireDecisions() {
        Duration threshold = Duration.ofSeconds(60);
        Instant fireAt = Instant.parse("2026-05-01T03:00:00Z");
        Schedule<String> runOnce = Schedule.cron("x", "0 * * * *");
        Schedule<String> skip = runOnce.misfire(MisfirePolicy.SKIP);
        // on time (a little late): both enqueue, next is the following hour
        for (Schedule<String> s : List.of(runOnce, skip)) {
            ScheduleRunner.Decision d = ScheduleRunner.decide(s, fireAt, fireAt.plusSeconds(5), threshold);
            assertTrue(d.enqueue());
            assertEquals(Instant.parse("2026-05-01T04:00:00Z"), d.nextFireAt());
        }
        // exactly at the threshold is still on time
        assertTrue(ScheduleRunner.decide(skip, fireAt, fireAt.plus(threshold), threshold).enqueue());
        // found late but within the threshold, past the following fire time too: the following
        // one is next (it runs at the next poll), not the first after now
        Schedule<String> minutely = Schedule.<String>cron("m", "* * * * *");
        ScheduleRunner.Decision late = ScheduleRunner.decide(minutely, fireAt, fireAt.plusSeconds(59), Duration.ofMinutes(2));
        assertTrue(late.enqueue());
        assertEquals(fireAt.plusSeconds(60), late.nextFireAt());
        // after 5 h of downtime: RUN_ONCE runs one job, SKIP none; both continue after now
        Instant now = Instant.parse("2026-05-01T08:10:00Z");
        ScheduleRunner.Decision once = ScheduleRunner.decide(runOnce, fireAt, now, threshold);
        ScheduleRunner.Decision skipped = ScheduleRunner.decide(skip, fireAt, now, threshold);
        assertTrue(once.enqueue());
        assertFalse(skipped.enqueue());
        assertEquals(Instant.parse("2026-05-01T09:00:00Z"), once.nextFireAt());
        assertEquals(Instant.parse("2026-05-01T09:00:00Z"), skipped.nextFireAt());
    }

    @Test
    void definitionsRoundTripAndAreDeterministic() {
        Serde<String> serde = Serde.json(String.class);
        Map<String, String> m1 = new LinkedHashMap<>();
        m1.put("b", "2");
        m1.put("a", "1");
        Map<String, String> m2 = new LinkedHashMap<>();
        m2.put("a", "1");
        m2.put("b", "2");
        Schedule<String> s1 = Schedule.<String>cron("nightly", "0 3 * * *").zone(BERLIN).payload("sales-2")
                .options(EnqueueOptions.builder().priority(5).maxAttempts(7).delay(Duration.ofMinutes(1))
                        .resultTtl(Duration.ofDays(2)).metadata(m1).build())
                .misfire(MisfirePolicy.SKIP);
        Schedule<String> s2 = Schedule.<String>cron("nightly", "0  3 * * *").zone("Europe/Berlin")
                .options(EnqueueOptions.builder().metadata(m2).resultTtl(Duration.ofHours(48)).delay(Duration.ofSeconds(60))
                        .maxAttempts(7).priority(5).build())
                .misfire(MisfirePolicy.SKIP).payload("sales-2");
        byte[] b1 = ScheduleCodec.encode(s1, serde);
        byte[] b2 = ScheduleCodec.encode(s2, serde);
        assertArrayEquals(b1, b2, "equal schedules built differently encode byte-equal");
        assertEquals(s1, ScheduleCodec.decode("nightly", b1, serde));
        assertArrayEquals(b1, ScheduleCodec.encode(ScheduleCodec.decode("nightly", b1, serde), serde));
        assertFalse(new String(b1, StandardCharsets.UTF_8).contains("@class"));

        Schedule<String> every = Schedule.<String>every("e", Duration.ofSeconds(90));
        assertEquals(every, ScheduleCodec.decode("e", ScheduleCodec.encode(every, serde), serde));
        assertNotEquals(new String(b1, StandardCharsets.UTF_8),
                new String(ScheduleCodec.encode(s1.misfire(MisfirePolicy.RUN_ONCE), serde), StandardCharsets.UTF_8));
        assertThrows(IllegalArgumentException.class, () -> ScheduleCodec.decode("x", "{\"v\":99}".getBytes(StandardCharsets.UTF_8), serde));
        assertThrows(IllegalArgumentException.class, () -> ScheduleCodec.decode("x", "not json".getBytes(StandardCharsets.UTF_8), serde));
    }

    @Test
    void cronThatCannotMatchAgainReturnsNever() {
        FireTimes leap = FireTimes.cron("0 0 29 2 *", ZoneId.of("UTC"));
        assertEquals(Instant.parse("2028-02-29T00:00:00Z"), leap.nextAfter(Instant.parse("2026-03-01T00:00:00Z")));
    }

    private static List<Instant> fires(Schedule<?> s, Instant from, int n) {
        List<Instant> out = new ArrayList<>();
        Instant t = from;
        for (int i = 0; i < n; i++) {
            t = s.nextFireAfter(t);
            out.add(t);
        }
        return out;
    }
}
