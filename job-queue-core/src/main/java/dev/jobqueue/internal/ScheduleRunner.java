package dev.jobqueue.internal;

import dev.jobqueue.EnqueueOptions;
import dev.jobqueue.MisfirePolicy;
import dev.jobqueue.Schedule;
import dev.jobqueue.Serde;
import dev.jobqueue.spi.ScheduleRecord;
import dev.jobqueue.spi.Storage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * Fires the recurring schedules of one started queue: every {@code pollInterval} one
 * {@link Storage#dueSchedules} call, and for each due schedule the job of its fire time
 * (id {@code <schedule id>@<epoch millis>}, so an enqueue by a second process is a duplicate),
 * then {@link Storage#advanceSchedule} (compare-and-set on the version, so one process advances).
 *
 * <p>A fire time more than {@code misfireThreshold} in the past is a misfire: {@link MisfirePolicy#SKIP}
 * enqueues nothing, {@link MisfirePolicy#RUN_ONCE} enqueues the job of that one fire time; either
 * way the schedule moves to its first fire time after now. A fire time found within the threshold
 * runs and the schedule moves to the fire time after it, so no on-time fire time is dropped. A storage error is logged and the poll
 * retried next time; nothing here ends the queue. A storage that does not implement schedules
 * turns polling off with one INFO line.
 *
 * @param <P> the payload type
 */
public final class ScheduleRunner<P> {
    /** Enqueues one scheduled job through the queue's ordinary enqueue path. */
    @FunctionalInterface
    public interface Enqueuer<P> {
        /**
         * Enqueues the job (a duplicate id is not an error).
         *
         * @param jobId the job id
         * @param payload the payload
         * @param options the options
         */
        void enqueue(String jobId, P payload, EnqueueOptions options);
    }

    /** What one due schedule leads to: the job to enqueue (or none) and the next fire time. */
    public record Decision(boolean enqueue, Instant nextFireAt) {
    }

    static final int BATCH = 100;

    private final Storage storage;
    private final String queue;
    private final Serde<P> payloadSerde;
    private final Clock clock;
    private final Logger log;
    private final Duration pollInterval;
    private final Duration misfireThreshold;
    private final Enqueuer<P> enqueuer;
    private final Runnable onError;
    /** Undecodable definitions already reported (id + version), so a bad one logs once, not every second. */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    /** How long stop() waits for a poll under way. */
    private static final long STOP_WAIT_MILLIS = 500;

    private ScheduledExecutorService timer;
    private volatile boolean unsupported;
    private volatile boolean stopping;

    public ScheduleRunner(Storage storage, String queue, Serde<P> payloadSerde, Clock clock, Logger log,
                          Duration pollInterval, Duration misfireThreshold, Enqueuer<P> enqueuer, Runnable onError) {
        this.storage = storage;
        this.queue = queue;
        this.payloadSerde = payloadSerde;
        this.clock = clock;
        this.log = log;
        this.pollInterval = pollInterval;
        this.misfireThreshold = misfireThreshold;
        this.enqueuer = enqueuer;
        this.onError = onError;
    }

    /**
     * The pure rule for one due schedule at {@code now}.
     *
     * @param schedule the schedule
     * @param fireAt its due fire time
     * @param now the current time
     * @param misfireThreshold how late a fire time may be before it counts as missed
     * @return whether to enqueue the job of {@code fireAt}, and the next fire time (after {@code fireAt}
     *         when on time, after {@code now} after a misfire)
     */
    public static Decision decide(Schedule<?> schedule, Instant fireAt, Instant now, Duration misfireThreshold) {
        boolean missed = fireAt.isBefore(now.minus(misfireThreshold));
        boolean enqueue = !missed || schedule.misfire() == MisfirePolicy.RUN_ONCE;
        // On time: the next fire time follows this one, so fire times found late but within the
        // threshold (a slow poll, a busy storage) each still run, one per poll. A misfire jumps past now.
        Instant from = missed ? now : fireAt;
        return new Decision(enqueue, schedule.nextFireAfter(from));
    }

    public synchronized void start() {
        if (timer != null) {
            return;
        }
        stopping = false;
        timer = Executors.newSingleThreadScheduledExecutor(new NamedThreads("jobqueue-" + queue + "-schedules"));
        long period = Math.max(1_000_000L, pollInterval.toNanos());
        timer.scheduleWithFixedDelay(this::pollSafely, 0, period, TimeUnit.NANOSECONDS);
    }

    public synchronized void stop() throws InterruptedException {
        if (timer == null) {
            return;
        }
        stopping = true;
        timer.shutdownNow();
        // A poll stuck in a storage call that ignores interrupts (a connect to an unreachable
        // server) must not hold up the queue's stop: it ends on its own when that call fails, and
        // whatever it still does is an ordinary atomic storage call.
        if (!timer.awaitTermination(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
            log.debug("schedule poll of queue {} still in a storage call; not waiting for it", queue);
        }
        timer = null;
    }

    private void pollSafely() {
        if (unsupported) {
            return;
        }
        try {
            pollOnce();
        } catch (UnsupportedOperationException e) {
            unsupported = true;
            log.info("storage of queue {} does not support recurring schedules ({}); not polling for them", queue,
                    e.getMessage());
        } catch (RuntimeException e) { // retried at the next poll; never ends the timer
            if (stopping) {
                return; // the queue stopped (and perhaps closed its storage) during this poll
            }
            log.warn("polling the schedules of queue {} failed; retrying at the next poll", queue, e);
            onError.run();
        }
    }

    /** One poll: fires every due schedule (pages of {@value #BATCH} while full). Visible for tests. */
    public void pollOnce() {
        List<ScheduleRecord> due;
        do {
            due = storage.dueSchedules(queue, BATCH);
            int advanced = 0;
            for (ScheduleRecord r : due) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                if (fire(r)) {
                    advanced++;
                }
            }
            if (advanced == 0) {
                return; // nothing moved (e.g. undecodable ones): do not spin on the same page
            }
        } while (due.size() == BATCH);
    }

    private boolean fire(ScheduleRecord r) {
        Schedule<P> schedule;
        try {
            schedule = ScheduleCodec.decode(r.id(), r.definition(), payloadSerde);
        } catch (RuntimeException e) {
            if (reported.add(r.id() + "#" + r.version())) {
                log.error("schedule {} of queue {} cannot be read by this queue and does not fire here: {}", r.id(),
                        queue, e.toString());
                onError.run();
            }
            return false;
        }
        Decision d = decide(schedule, r.nextFireAt(), clock.instant(), misfireThreshold);
        String jobId = schedule.jobId(r.nextFireAt());
        if (d.enqueue()) {
            enqueuer.enqueue(jobId, schedule.payload(), schedule.options());
        }
        boolean advanced = storage.advanceSchedule(queue, r.id(), r.version(), d.nextFireAt());
        if (advanced) {
            if (d.enqueue()) {
                log.info("schedule {} of queue {} fired job {}; next at {}", r.id(), queue, jobId, d.nextFireAt());
            } else {
                log.warn("schedule {} of queue {} missed its fire time {} (misfire SKIP); next at {}", r.id(), queue,
                        r.nextFireAt(), d.nextFireAt());
            }
        }
        return true;
    }
}
