package dev.jobqueue.internal;

import dev.jobqueue.JobState;
import dev.jobqueue.spi.StalledJob;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One started reaper: scans for expired leases on a timer and, with leader election on, only while
 * it holds the "reaper" lock of the queue. All decisions run on one timer thread, so election,
 * renewal and scans never race each other; lock calls run on a second thread so that a renewal
 * that hangs can be abandoned when the leadership's validity runs out.
 *
 * <p>Safety: leadership is valid until (start of the last successful acquire/renew) + lockTtl -
 * margin, on the same clock the storage judges the lock by; past that, or when a renewal fails,
 * the reaper steps down before its lock can have expired, so two reapers are never active at once.
 * Each term uses its own owner token (reaperId + term number), so a stale renewal of an old term
 * can never extend a new one.
 */
public final class ReaperLoop {
    static final String LOCK = "reaper";
    private static final int MAX_BATCHES_PER_SCAN = 1000;

    private final ReaperSettings s;
    private final Duration margin;
    private final ScheduledExecutorService timer;
    private final ExecutorService lockCalls;
    private long term;
    private volatile String token; // current term's owner token while leader, else null
    private volatile Instant validUntil = Instant.MIN;

    public ReaperLoop(ReaperSettings settings) {
        this.s = settings;
        // A fifth of the TTL, but always leaving the leadership valid for longer than the renew
        // interval, so that a healthy leader renews before its validity runs out.
        Duration slack = settings.lockTtl().minus(settings.renewInterval()).dividedBy(2);
        Duration fifth = settings.lockTtl().dividedBy(5);
        this.margin = fifth.compareTo(slack) < 0 ? fifth : slack;
        this.timer = Executors.newSingleThreadScheduledExecutor(new NamedThreads("jobqueue-reaper-" + settings.name()));
        this.lockCalls = Executors.newSingleThreadExecutor(new NamedThreads("jobqueue-reaper-" + settings.name() + "-lock"));
    }

    public void start() {
        if (s.leaderElection()) {
            schedule(this::tryAcquire, Duration.ZERO, s.acquireRetryInterval());
            schedule(this::renew, s.renewInterval(), s.renewInterval());
        }
        schedule(this::scanIfActive, Duration.ZERO, s.scanInterval());
    }

    private void schedule(Runnable task, Duration initialDelay, Duration period) {
        timer.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) { // a periodic task that throws would never run again
                s.logger().warn("reaper {} task failed", s.reaperId(), e);
                s.listener().error(e);
            }
        }, initialDelay.toNanos(), Math.max(1_000_000L, period.toNanos()), TimeUnit.NANOSECONDS);
    }

    /** True while this reaper holds leadership that cannot have expired yet. */
    public boolean isLeader() {
        return token != null && s.clock().instant().isBefore(validUntil);
    }

    private boolean isActive() {
        return !s.leaderElection() || isLeader();
    }

    private void tryAcquire() {
        if (token != null) {
            return;
        }
        String candidate = s.reaperId() + ":" + (++term);
        Instant start = s.clock().instant();
        boolean acquired;
        try {
            acquired = s.storage().acquireLock(s.name(), LOCK, candidate, s.lockTtl());
        } catch (RuntimeException e) {
            s.logger().warn("reaper {} could not try the leader lock", s.reaperId(), e);
            s.listener().error(e);
            return;
        }
        if (acquired) {
            validUntil = start.plus(s.lockTtl()).minus(margin);
            token = candidate;
            s.logger().info("reaper {} is now the leader of queue {} (term {})", s.reaperId(), s.name(), candidate);
            s.listener().leadershipAcquired(s.reaperId());
            scanIfActive();
        }
    }

    private void renew() {
        String current = token;
        if (current == null) {
            return;
        }
        Instant start = s.clock().instant();
        Duration left = Duration.between(start, validUntil);
        if (left.isNegative() || left.isZero()) {
            stepDown(current, "its leadership lapsed before it could renew");
            return;
        }
        CompletableFuture<Boolean> call = CompletableFuture.supplyAsync(
                () -> s.storage().renewLock(s.name(), LOCK, current, s.lockTtl()), lockCalls);
        try {
            if (call.get(left.toNanos(), TimeUnit.NANOSECONDS)) {
                validUntil = start.plus(s.lockTtl()).minus(margin);
            } else {
                stepDown(current, "the lock is no longer its own");
            }
        } catch (TimeoutException e) {
            // The release queued by stepDown runs after the late renewal, so the lock is freed either way.
            stepDown(current, "renewing took longer than the leadership's validity");
        } catch (ExecutionException e) {
            s.listener().error(e.getCause());
            stepDown(current, "renewing failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stepDown(String oldToken, String why) {
        token = null;
        validUntil = Instant.MIN;
        s.logger().warn("reaper {} steps down as leader of queue {}: {}", s.reaperId(), s.name(), why);
        s.listener().leadershipLost(s.reaperId());
        // Best effort, after any renewal still in flight (same thread): a no-op when the lock is not ours.
        lockCalls.execute(() -> releaseQuietly(oldToken));
    }

    private void releaseQuietly(String owner) {
        try {
            s.storage().releaseLock(s.name(), LOCK, owner);
        } catch (RuntimeException e) {
            s.logger().warn("reaper {} could not release the leader lock; it expires on its own", s.reaperId(), e);
        }
    }

    private void scanIfActive() {
        for (int batch = 0; batch < MAX_BATCHES_PER_SCAN && isActive(); batch++) {
            List<StalledJob> found;
            try {
                found = s.storage().requeueExpired(s.name(), s.batchSize());
            } catch (RuntimeException e) {
                s.logger().warn("reaper {} scan of queue {} failed", s.reaperId(), s.name(), e);
                s.listener().error(e);
                return;
            }
            for (StalledJob job : found) {
                if (job.newState() == JobState.FAILED) {
                    s.logger().warn("job {} stalled {} times (last on worker {}); failed as stalled too often",
                            job.id(), job.stalls(), job.workerId());
                } else {
                    s.logger().info("job {} stalled on worker {} (stall {}); requeued", job.id(), job.workerId(), job.stalls());
                }
                s.listener().stalled(job);
            }
            if (found.size() < s.batchSize()) {
                return;
            }
        }
    }

    /** Stops the timer, releases leadership, and waits for both threads to end. */
    public void stop() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(30, TimeUnit.SECONDS);
        String current = token;
        if (current != null) {
            token = null;
            validUntil = Instant.MIN;
            releaseQuietly(current);
            s.logger().info("reaper {} released the leadership of queue {}", s.reaperId(), s.name());
            s.listener().leadershipLost(s.reaperId());
        }
        lockCalls.shutdownNow();
        lockCalls.awaitTermination(30, TimeUnit.SECONDS);
    }
}
