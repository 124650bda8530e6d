package dev.jobqueue.internal;

import dev.jobqueue.spi.LeaseRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Extends the leases of all of a worker's in-flight jobs in one storage call every
 * visibilityTimeout / 3, so a long handler on a live worker is never reaped. A lease the storage
 * reports lost marks the job cancelled and is reported once.
 */
final class Heartbeat {
    private final QueueSettings<?, ?> s;
    private final Map<LeaseRef, ? extends RunningJob<?>> inFlight;
    private ScheduledExecutorService timer;

    Heartbeat(QueueSettings<?, ?> settings, Map<LeaseRef, ? extends RunningJob<?>> inFlight) {
        this.s = settings;
        this.inFlight = inFlight;
    }

    static Duration interval(Duration visibilityTimeout) {
        return visibilityTimeout.dividedBy(3);
    }

    void start() {
        long periodNanos = Math.max(1_000_000L, interval(s.visibilityTimeout()).toNanos());
        timer = Executors.newSingleThreadScheduledExecutor(new NamedThreads("jobqueue-" + s.name() + "-heartbeat"));
        timer.scheduleWithFixedDelay(this::beat, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
    }

    void stop() throws InterruptedException {
        if (timer == null) {
            return; // never started
        }
        timer.shutdownNow();
        timer.awaitTermination(10, TimeUnit.SECONDS);
    }

    private void beat() {
        Map<String, RunningJob<?>> byId = new HashMap<>();
        List<LeaseRef> leases = new ArrayList<>();
        for (RunningJob<?> job : inFlight.values()) {
            if (!job.isSettled() && !job.isLeaseLost()) {
                byId.put(job.id(), job);
                leases.add(job.lease());
            }
        }
        if (leases.isEmpty()) {
            return;
        }
        try {
            for (String lostId : s.storage().extend(s.name(), leases, s.visibilityTimeout())) {
                RunningJob<?> job = byId.get(lostId);
                if (job != null && !job.isSettled()) {
                    AttemptRunner.reportLeaseLost(s, job, "lease extension");
                }
            }
        } catch (RuntimeException e) { // the next beat retries; a lease has 3 beats of slack
            s.logger().warn("heartbeat of {} lease(s) failed", leases.size(), e);
            s.listener().error(e);
        }
    }
}
