package dev.jobqueue.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.Backoff;
import dev.jobqueue.EnqueueOptions;
import dev.jobqueue.JobState;
import dev.jobqueue.Queue;
import dev.jobqueue.Reaper;
import dev.jobqueue.ReaperListener;
import dev.jobqueue.contract.Eventually;
import dev.jobqueue.contract.ManualClock;
import dev.jobqueue.memory.MemoryStorage;
import dev.jobqueue.spi.StalledJob;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** QueueMetrics on a real registry and queues on MemoryStorage. */
class QueueMetricsTest {
    private static final AtomicInteger QUEUES = new AtomicInteger();

    private final String name = "metrics-" + QUEUES.incrementAndGet();
    private final MemoryStorage memory = new MemoryStorage();
    private final CountingStorage storage = new CountingStorage(memory);
    private Queue<String, String> queue;
    private Reaper reaper;

    @AfterEach
    void close() {
        if (reaper != null) {
            reaper.close();
        }
        if (queue != null) {
            queue.close();
        }
        memory.close();
    }

    @Test
    void countsAndTimesCompletedRetriedAndFailedJobs() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        QueueMetrics metrics = QueueMetrics.builder(storage.storage).name(name).tags(Tags.of("app", "shop")).build();
        metrics.bindTo(registry);
        queue = Queue.builder(storage.storage, String.class, String.class).name(name)
                .concurrency(2).maxAttempts(2).backoff(Backoff.fixed(Duration.ofMillis(10)))
                .listener(metrics)
                .closeOnJvmShutdown(false)
                .handler(job -> switch (job.payload()) {
                    case "bad" -> throw new IllegalStateException("always fails");
                    case "flaky" -> {
                        if (job.attempt() == 1) {
                            throw new IllegalStateException("fails once");
                        }
                        yield "ok";
                    }
                    default -> "ok";
                })
                .build();
        for (int i = 0; i < 3; i++) {
            queue.enqueue("ok-" + i, "ok");
        }
        queue.enqueue("flaky", "flaky");
        queue.enqueue("bad", "bad");
        queue.enqueue("ok-0", "ok"); // a duplicate: not a new job
        queue.start();

        Eventually.await("4 completed and 1 failed", () -> count(registry, QueueMetrics.COMPLETED) == 4
                && count(registry, QueueMetrics.FAILED) == 1);
        assertEquals(5, count(registry, QueueMetrics.ENQUEUED));
        assertEquals(2, count(registry, QueueMetrics.RETRIED), "flaky's and bad's first attempts");
        assertEquals(0, count(registry, QueueMetrics.LEASE_LOST));
        assertEquals(4, execution(registry, "completed").count());
        assertEquals(2, execution(registry, "retried").count());
        assertEquals(1, execution(registry, "failed").count());
        assertEquals(7, registry.get(QueueMetrics.WAIT).tag("queue", name).timer().count(), "one wait per attempt");
        assertEquals(4, jobs(registry, JobState.COMPLETED), "the gauges read the storage");
        assertEquals(1, jobs(registry, JobState.FAILED));
        assertEquals(0, jobs(registry, JobState.QUEUED));
        for (Meter meter : registry.getMeters()) {
            assertEquals(name, meter.getId().getTag("queue"), meter.getId()::toString);
            assertEquals("shop", meter.getId().getTag("app"), meter.getId()::toString);
        }
    }

    @Test
    void waitTimerRecordsHowLongTheJobWasClaimableOnTheStorageClock() {
        ManualClock clock = new ManualClock();
        try (MemoryStorage timed = new MemoryStorage(clock)) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            QueueMetrics metrics = QueueMetrics.builder(timed).name(name).build();
            metrics.bindTo(registry);
            queue = Queue.builder(timed, String.class, String.class).name(name).listener(metrics)
                    .closeOnJvmShutdown(false).handler(job -> "done").build();
            queue.enqueue("waits", "x");
            clock.advance(Duration.ofSeconds(30));
            queue.start();

            Eventually.await("the job completes", () -> count(registry, QueueMetrics.COMPLETED) == 1);
            Timer wait = registry.get(QueueMetrics.WAIT).timer();
            assertEquals(1, wait.count());
            assertEquals(30, wait.totalTime(TimeUnit.SECONDS), 0.001);
            queue.close();
        }
    }

    @Test
    void gaugesReadTheStorageOncePerCacheTtlHoweverOftenScraped() {
        MockClock clock = new MockClock();
        SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
        QueueMetrics metrics = QueueMetrics.builder(storage.storage).name(name)
                .countsCacheTtl(Duration.ofSeconds(10)).build();
        metrics.bindTo(registry);
        queue = Queue.builder(storage.storage, String.class, String.class).name(name).listener(metrics)
                .closeOnJvmShutdown(false).build(); // producer only: the jobs stay QUEUED
        for (int i = 0; i < 3; i++) {
            queue.enqueue("job-" + i, "x");
        }
        queue.enqueue("later", "x", EnqueueOptions.builder().delay(Duration.ofHours(1)).build());

        for (int scrape = 0; scrape < 20; scrape++) {
            scrape(registry);
        }
        assertEquals(1, storage.countsCalls.get(), "20 scrapes within the TTL read the counts once");
        assertEquals(3, jobs(registry, JobState.QUEUED));
        assertEquals(1, jobs(registry, JobState.DELAYED));
        assertEquals(0, jobs(registry, JobState.PROCESSING));
        assertEquals(0, jobs(registry, JobState.FAILED));
        assertEquals(1, storage.countsCalls.get());

        queue.enqueue("job-3", "x");
        clock.add(Duration.ofSeconds(9));
        assertEquals(3, jobs(registry, JobState.QUEUED), "still the cached reading");
        clock.add(Duration.ofSeconds(1));
        assertEquals(4, jobs(registry, JobState.QUEUED), "read again once the TTL has passed");
        scrape(registry);
        assertEquals(2, storage.countsCalls.get());
        assertEquals(2, storage.isPausedCalls.get(), "the paused flag is read with the counts");
    }

    @Test
    void gaugesShowNaNWhileTheStorageFailsAndRecoverAfterwards() {
        MockClock clock = new MockClock();
        SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
        QueueMetrics.builder(storage.storage).name(name).countsCacheTtl(Duration.ofSeconds(1)).build().bindTo(registry);
        storage.countsFailure = new IllegalStateException("storage down");
        assertTrue(Double.isNaN(jobs(registry, JobState.QUEUED)));
        assertTrue(Double.isNaN(jobs(registry, JobState.FAILED)));
        assertEquals(1, storage.countsCalls.get(), "a failed read is cached too: a down storage is not hammered");

        storage.countsFailure = null;
        clock.add(Duration.ofSeconds(1));
        assertEquals(0, jobs(registry, JobState.QUEUED));
    }

    @Test
    void pausedGaugeFollowsTheStorageFlag() {
        MockClock clock = new MockClock();
        SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
        QueueMetrics.builder(storage.storage).name(name).countsCacheTtl(Duration.ofSeconds(1)).build().bindTo(registry);
        assertEquals(0, paused(registry));
        memory.setPaused(name, true);
        clock.add(Duration.ofSeconds(1));
        assertEquals(1, paused(registry));
        memory.setPaused(name, false);
        clock.add(Duration.ofSeconds(1));
        assertEquals(0, paused(registry));
    }

    @Test
    void countsStallsAndLostLeases() throws InterruptedException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        QueueMetrics metrics = QueueMetrics.builder(storage.storage).name(name).build();
        metrics.bindTo(registry);
        CountDownLatch stalled = new CountDownLatch(1);
        storage.dropExtensions = true; // the worker's heartbeat extends nothing: the first attempt's lease expires
        queue = Queue.builder(storage.storage, String.class, String.class).name(name)
                .concurrency(2).visibilityTimeout(Duration.ofMillis(300))
                .listener(metrics)
                .closeOnJvmShutdown(false)
                .handler(job -> {
                    if (job.attempt() == 1) {
                        assertTrue(stalled.await(20, TimeUnit.SECONDS), "the reaper requeues the job meanwhile");
                    }
                    return "done";
                })
                .build();
        reaper = Reaper.builder(storage.storage).name(name).scanInterval(Duration.ofMillis(50))
                .listener(metrics)
                .listener(new ReaperListener() {
                    @Override
                    public void stalled(StalledJob job) {
                        stalled.countDown();
                    }
                })
                .closeOnJvmShutdown(false).build();
        queue.enqueue("slow", "x");
        queue.start();
        reaper.start();

        Eventually.await("the second attempt completes and the first loses its lease",
                () -> count(registry, QueueMetrics.COMPLETED) == 1 && count(registry, QueueMetrics.LEASE_LOST) == 1);
        assertEquals(1, stalled(registry, "requeued"));
        assertEquals(0, stalled(registry, "failed"));
        assertEquals(2, registry.get(QueueMetrics.WAIT).timer().count(), "two attempts started");
    }

    @Test
    void countsAJobThatStalledTooOftenAsStalledFailed() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        QueueMetrics metrics = QueueMetrics.builder(storage.storage).name(name).build();
        metrics.bindTo(registry);
        CountDownLatch release = new CountDownLatch(1);
        storage.dropExtensions = true;
        queue = Queue.builder(storage.storage, String.class, String.class).name(name)
                .visibilityTimeout(Duration.ofMillis(300)).maxStalls(0)
                .listener(metrics)
                .closeOnJvmShutdown(false)
                .handler(job -> {
                    release.await(20, TimeUnit.SECONDS);
                    return "late";
                })
                .build();
        reaper = Reaper.builder(storage.storage).name(name).scanInterval(Duration.ofMillis(50)).listener(metrics)
                .closeOnJvmShutdown(false).build();
        queue.enqueue("poison", "x");
        queue.start();
        reaper.start();

        Eventually.await("the reaper fails the stalled job", () -> stalled(registry, "failed") == 1);
        release.countDown();
        Eventually.await("the late outcome is rejected", () -> count(registry, QueueMetrics.LEASE_LOST) == 1);
        assertEquals(0, stalled(registry, "requeued"));
        assertEquals(0, count(registry, QueueMetrics.COMPLETED));
        assertEquals(0, count(registry, QueueMetrics.FAILED), "the worker failed nothing: the reaper did");
    }

    @Test
    void countsOnlyWhileBoundAndIntoEveryBoundRegistry() {
        QueueMetrics metrics = QueueMetrics.builder(storage.storage).name(name).build();
        metrics.enqueued("before");
        SimpleMeterRegistry first = new SimpleMeterRegistry();
        SimpleMeterRegistry second = new SimpleMeterRegistry();
        metrics.bindTo(first);
        metrics.enqueued("a");
        metrics.bindTo(second);
        metrics.bindTo(first); // again: changes nothing
        metrics.enqueued("b");
        assertEquals(2, count(first, QueueMetrics.ENQUEUED));
        assertEquals(1, count(second, QueueMetrics.ENQUEUED));
    }

    @Test
    void badOptionsAreRejectedNamingTheOption() {
        assertMessage("storage", () -> QueueMetrics.builder(null));
        QueueMetrics.Builder builder = QueueMetrics.builder(storage.storage);
        assertMessage("name", () -> builder.name("a b"));
        assertMessage("name", () -> builder.name(null));
        assertMessage("name", () -> builder.name("x".repeat(129)));
        assertMessage("tags", () -> builder.tags(null));
        assertMessage("tags", () -> builder.tags(Tags.of("queue", "other")));
        assertMessage("countsCacheTtl", () -> builder.countsCacheTtl(Duration.ZERO));
        assertMessage("countsCacheTtl", () -> builder.countsCacheTtl(Duration.ofHours(2)));
        assertMessage("countsCacheTtl", () -> builder.countsCacheTtl(null));
        assertMessage("registry", () -> builder.build().bindTo(null));
        QueueMetrics defaults = builder.build();
        assertEquals("default", defaults.queue());
        assertEquals(QueueMetrics.DEFAULT_COUNTS_CACHE_TTL, defaults.countsCacheTtl());
        assertEquals(Tags.of("queue", "default"), defaults.tags());
    }

    private static void assertMessage(String option, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().startsWith(option), e.getMessage());
    }

    private static void scrape(MeterRegistry registry) {
        for (Meter meter : registry.getMeters()) {
            meter.measure().forEach(m -> m.getValue());
        }
    }

    private double count(MeterRegistry registry, String counter) {
        Counter c = registry.find(counter).tag("queue", name).counter();
        return c == null ? 0 : c.count();
    }

    private double stalled(MeterRegistry registry, String outcome) {
        return registry.get(QueueMetrics.STALLED).tag("queue", name).tag("outcome", outcome).counter().count();
    }

    private Timer execution(MeterRegistry registry, String outcome) {
        return registry.get(QueueMetrics.EXECUTION).tag("queue", name).tag("outcome", outcome).timer();
    }

    private double jobs(MeterRegistry registry, JobState state) {
        return registry.get(QueueMetrics.JOBS).tag("queue", name).tag("state", state.name().toLowerCase(Locale.ROOT))
                .gauge().value();
    }

    private double paused(MeterRegistry registry) {
        return registry.get(QueueMetrics.PAUSED).tag("queue", name).gauge().value();
    }
}
