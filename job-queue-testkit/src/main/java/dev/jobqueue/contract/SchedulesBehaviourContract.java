package dev.jobqueue.contract;

import static dev.jobqueue.contract.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.EnqueueOptions;
import dev.jobqueue.JobState;
import dev.jobqueue.JobStatus;
import dev.jobqueue.MisfirePolicy;
import dev.jobqueue.Queue;
import dev.jobqueue.QueueListener;
import dev.jobqueue.Schedule;
import dev.jobqueue.ScheduleInfo;
import dev.jobqueue.Schedules;
import dev.jobqueue.spi.Storage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Behaviour of recurring schedules ({@link Schedule}, {@link Queue#schedules()}) end to end over
 * a storage: two queues (two processes in spirit) firing one schedule enqueue one job per fire
 * time; misfires after downtime follow the schedule's {@link MisfirePolicy}; a changed schedule
 * fires at its new times; upserts are idempotent; removal stops firing. Every storage runs it by
 * subclassing and implementing {@link #createStorage(Clock)}.
 *
 * <p>Tests that move time use a {@link ManualClock} (skipped for storages that keep their own
 * time, see {@link #storageFollowsGivenClock()}); the others use short intervals on the system clock.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class SchedulesBehaviourContract extends QueueContractSupport {
    private static final Duration POLL = Duration.ofMillis(20);



    private String name;

    @BeforeEach
    void name() {
        name = "sched-" + UUID.randomUUID().toString().substring(0, 8);
    }


    private Storage storage(Clock clock) {
        return newStorage(clock);
    }


    private Queue.Builder<String, String> strings(Storage storage, Clock clock) {
        return Queue.builder(storage, String.class, String.class).name(name).clock(clock).schedulePollInterval(POLL)
                .closeOnJvmShutdown(false);
    }

    private <P, R> Queue<P, R> started(Queue<P, R> q) {
        track(q);
        q.start();
        return q;
    }

    private static Instant nextFireAt(Schedules<?> schedules, String id) {
        return schedules.list().stream().filter(s -> s.id().equals(id)).findFirst().map(ScheduleInfo::nextFireAt)
                .orElseThrow();
    }

    private static long total(Queue<?, ?> q) {
        return q.counts().values().stream().mapToLong(Long::longValue).sum();
    }

    @Test
    void twoQueuesFiringOneScheduleEnqueueOneJobPerFireTime() {
        ManualClock clock = manualClock();
        Storage storage = storage(clock);
        AtomicInteger created = new AtomicInteger();
        Set<String> handled = ConcurrentHashMap.newKeySet();
        List<String> payloads = new CopyOnWriteArrayList<>();
        QueueListener counting = new QueueListener() {
            @Override
            public void enqueued(String jobId) {
                created.incrementAndGet();
            }
        };
        Queue<String, String> a = started(strings(storage, clock).listener(counting).handler(job -> {
            handled.add(job.id());
            payloads.add(job.payload());
            return "ok";
        }).build());
        Queue<String, String> b = started(strings(storage, clock).listener(counting).build());
        ScheduleInfo<String> info = a.schedules().upsert(Schedule.every("tick", Duration.ofMinutes(1)).payload("p"));
        assertEquals(Instant.parse("2026-01-01T00:01:00Z"), info.nextFireAt());
        for (int i = 1; i <= 5; i++) {
            Instant fireAt = clock.instant().plus(Duration.ofMinutes(1)).truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
            clock.set(fireAt.plusSeconds(1));
            Instant expectedNext = fireAt.plus(Duration.ofMinutes(1));
            await("schedule advanced past " + fireAt, () -> nextFireAt(b.schedules(), "tick").equals(expectedNext));
        }
        await("5 jobs handled", () -> handled.size() == 5);
        assertEquals(5, created.get(), "one job per fire time, however many queues poll");
        assertEquals(5L, total(a));
        for (int i = 1; i <= 5; i++) {
            String id = "tick@" + Instant.parse("2026-01-01T00:00:00Z").plus(Duration.ofMinutes(i)).toEpochMilli();
            assertTrue(handled.contains(id), id + " in " + handled);
        }
        assertEquals(Collections.nCopies(5, "p"), payloads);
    }

    @Test
    void twoQueuesOnTheSystemClockNeverEnqueueAFireTimeTwice() throws InterruptedException {
        Storage storage = storage(Clock.systemUTC());
        AtomicInteger created = new AtomicInteger();
        QueueListener counting = new QueueListener() {
            @Override
            public void enqueued(String jobId) {
                created.incrementAndGet();
            }
        };
        Queue<String, String> a = started(strings(storage, Clock.systemUTC()).listener(counting).build());
        started(strings(storage, Clock.systemUTC()).listener(counting).build());
        a.schedules().upsert(Schedule.every("fast", Duration.ofMillis(200)).payload("x"));
        await("three jobs", () -> total(a) >= 3);
        a.schedules().remove("fast");
        Thread.sleep(300); // polls in flight end
        long jobs = total(a);
        assertEquals(jobs, created.get(), "every job was created by exactly one of the two queues");
        for (String id : a.list(JobState.QUEUED, dev.jobqueue.ListOrder.OLDEST_FIRST, 100).jobs().stream()
                .map(j -> j.id()).toList()) {
            assertTrue(id.matches("fast@\\d+") && Long.parseLong(id.substring(5)) % 200 == 0, id);
        }
    }

    @Test
    void runOnceMisfireRunsOneJobForTheMissedTimesAndContinuesAfterNow() {
        ManualClock clock = manualClock();
        Storage storage = storage(clock);
        Queue<String, String> q = strings(storage, clock).build();
        track(q);
        q.schedules().upsert(Schedule.<String>cron("hourly", "0 * * * *").payload("r").misfire(MisfirePolicy.RUN_ONCE));
        clock.set(Instant.parse("2026-01-01T05:10:00Z")); // 5 fire times missed while nothing ran
        q.start();
        await("advanced after now", () -> nextFireAt(q.schedules(), "hourly").equals(Instant.parse("2026-01-01T06:00:00Z")));
        assertEquals(1L, total(q), "one job for five missed fire times");
        Optional<JobStatus<String>> job = q.status("hourly@" + Instant.parse("2026-01-01T01:00:00Z").toEpochMilli());
        assertTrue(job.isPresent(), "the job is for the earliest missed fire time");
    }

    @Test
    void skipMisfireRunsNothingForTheMissedTimesAndContinuesAfterNow() {
        ManualClock clock = manualClock();
        Storage storage = storage(clock);
        Queue<String, String> q = strings(storage, clock).build();
        track(q);
        q.schedules().upsert(Schedule.<String>cron("hourly", "0 * * * *").payload("r").misfire(MisfirePolicy.SKIP));
        clock.set(Instant.parse("2026-01-01T05:10:00Z"));
        q.start();
        await("advanced after now", () -> nextFireAt(q.schedules(), "hourly").equals(Instant.parse("2026-01-01T06:00:00Z")));
        assertEquals(0L, total(q));
        // the next fire time, found in time, runs as usual
        clock.set(Instant.parse("2026-01-01T06:00:30Z"));
        await("fired at 06:00", () -> total(q) == 1);
        assertTrue(q.status("hourly@" + Instant.parse("2026-01-01T06:00:00Z").toEpochMilli()).isPresent());
    }

    @Test
    void aFireTimeFoundWithinTheThresholdIsNotAMisfire() {
        ManualClock clock = manualClock();
        Storage storage = storage(clock);
        Queue<String, String> q = strings(storage, clock).misfireThreshold(Duration.ofMinutes(10)).build();
        track(q);
        q.schedules().upsert(Schedule.<String>cron("hourly", "0 * * * *").misfire(MisfirePolicy.SKIP));
        clock.set(Instant.parse("2026-01-01T01:09:00Z")); // 9 minutes late: within the threshold
        q.start();
        await("fired", () -> total(q) == 1);
    }

    @Test
    void changingTheCronTakesEffectFromTheNextFireTime() {
        ManualClock clock = manualClock();
        Storage storage = storage(clock);
        Queue<String, String> q = strings(storage, clock).build();
        track(q);
        Schedules<String> schedules = q.schedules();
        assertEquals(Instant.parse("2026-01-01T03:00:00Z"),
                schedules.upsert(Schedule.<String>cron("daily", "0 3 * * *").payload("v1")).nextFireAt());
        ScheduleInfo<String> changed = schedules.upsert(Schedule.<String>cron("daily", "0 4 * * *").payload("v2"));
        assertEquals(Instant.parse("2026-01-01T04:00:00Z"), changed.nextFireAt());
        assertEquals("0 4 * * *", changed.schedule().cron());
        q.start();
        clock.set(Instant.parse("2026-01-01T03:30:00Z"));
        await("a poll at 03:30", () -> nextFireAt(schedules, "daily").equals(Instant.parse("2026-01-01T04:00:00Z")));
        assertEquals(0L, total(q), "the old time no longer fires");
        clock.set(Instant.parse("2026-01-01T04:00:30Z"));
        // the job is enqueued before the schedule advances: wait for both
        await("fired at 04:00 and advanced", () -> total(q) == 1
                && nextFireAt(schedules, "daily").equals(Instant.parse("2026-01-02T04:00:00Z")));
        String id = "daily@" + Instant.parse("2026-01-01T04:00:00Z").toEpochMilli();
        assertEquals("v2", q.inspect(id).orElseThrow().payload());
    }

    @Test
    void upsertingAnEqualScheduleChangesNothing() {
        ManualClock clock = manualClock();
        Storage storage = storage(clock);
        Queue<String, String> q = strings(storage, clock).build();
        track(q);
        Schedule<String> s = Schedule.<String>every("hourly", Duration.ofHours(1)).payload("x")
                .options(EnqueueOptions.builder().priority(3).metadata(Map.of("b", "2", "a", "1")).build());
        assertEquals(Instant.parse("2026-01-01T01:00:00Z"), q.schedules().upsert(s).nextFireAt());
        clock.set(Instant.parse("2026-01-01T01:30:00Z")); // the schedule is due, nobody fired it
        // a second process starting up upserts the same schedule (built in another order)
        Schedule<String> same = Schedule.<String>every("hourly", Duration.ofHours(1))
                .options(EnqueueOptions.builder().metadata(Map.of("a", "1", "b", "2")).priority(3).build()).payload("x");
        ScheduleInfo<String> again = q.schedules().upsert(same);
        assertEquals(Instant.parse("2026-01-01T01:00:00Z"), again.nextFireAt(), "the due fire time is kept");
        assertEquals(s, again.schedule());
        assertEquals(1, q.schedules().list().size());
        q.start();
        await("the kept fire time fires", () -> total(q) == 1);
        JobStatus<String> job = q.status("hourly@" + Instant.parse("2026-01-01T01:00:00Z").toEpochMilli()).orElseThrow();
        assertEquals(Map.of("a", "1", "b", "2"), job.metadata());
    }

    @Test
    void removedSchedulesStopFiringAndTheirJobsStay() {
        ManualClock clock = manualClock();
        Storage storage = storage(clock);
        Queue<String, String> q = started(strings(storage, clock).build());
        q.schedules().upsert(Schedule.<String>every("m", Duration.ofMinutes(1)));
        q.schedules().upsert(Schedule.<String>every("keep", Duration.ofMinutes(1)));
        clock.set(Instant.parse("2026-01-01T00:01:01Z"));
        await("both fired", () -> total(q) == 2);
        assertTrue(q.schedules().remove("m"));
        assertFalse(q.schedules().remove("m"));
        assertEquals(List.of("keep"), q.schedules().list().stream().map(ScheduleInfo::id).toList());
        clock.set(Instant.parse("2026-01-01T00:02:01Z"));
        await("keep fired again", () -> total(q) == 3);
        assertTrue(q.status("m@" + Instant.parse("2026-01-01T00:01:00Z").toEpochMilli()).isPresent());
        assertFalse(q.status("m@" + Instant.parse("2026-01-01T00:02:00Z").toEpochMilli()).isPresent());
    }

    @Test
    void listShowsIdSpecNextFireTimeAndPayload() {
        Storage storage = storage(Clock.systemUTC());
        Queue<String, String> q = strings(storage, Clock.systemUTC()).build();
        track(q);
        q.schedules().upsert(Schedule.<String>cron("b-nightly", "0 3 * * *").zone("Europe/Berlin").payload("report"));
        q.schedules().upsert(Schedule.<String>every("a-often", Duration.ofMinutes(5)).payload("ping"));
        List<ScheduleInfo<String>> list = q.schedules().list();
        assertEquals(List.of("a-often", "b-nightly"), list.stream().map(ScheduleInfo::id).toList());
        assertEquals(Duration.ofMinutes(5), list.get(0).schedule().interval());
        assertEquals("ping", list.get(0).schedule().payload());
        assertEquals("0 3 * * *", list.get(1).schedule().cron());
        assertEquals("Europe/Berlin", list.get(1).schedule().zone().getId());
        assertEquals("report", list.get(1).schedule().payload());
        assertTrue(list.get(1).nextFireAt().isAfter(Instant.now().minusSeconds(5)));
        // another queue of the same storage has its own schedules
        Queue<String, String> other = Queue.builder(storage, String.class, String.class).name(name + "-other").build();
        assertEquals(List.of(), other.schedules().list());
    }

    @Test
    void aScheduleThisQueueCannotReadIsListedWithItsErrorAndDoesNotStopTheOthers() {
        ManualClock clock = manualClock();
        Storage storage = storage(clock);
        Queue<String, String> strings = strings(storage, clock).build();
        track(strings);
        strings.schedules().upsert(Schedule.<String>every("text", Duration.ofMinutes(1)).payload("not a number"));
        Queue<Integer, String> numbers = Queue.builder(storage, Integer.class, String.class).name(name).clock(clock)
                .schedulePollInterval(POLL).closeOnJvmShutdown(false).build();
        numbers.schedules().upsert(Schedule.<Integer>every("number", Duration.ofMinutes(1)).payload(7));
        List<ScheduleInfo<Integer>> seen = numbers.schedules().list();
        assertEquals("number", seen.get(0).id());
        assertEquals(7, seen.get(0).schedule().payload());
        assertEquals("text", seen.get(1).id());
        assertEquals(null, seen.get(1).schedule());
        assertTrue(seen.get(1).decodeError() != null);
        started(numbers);
        clock.set(Instant.parse("2026-01-01T00:01:01Z"));
        await("number fired", () -> numbers.status("number@" + Instant.parse("2026-01-01T00:01:00Z").toEpochMilli()).isPresent());
    }
}
