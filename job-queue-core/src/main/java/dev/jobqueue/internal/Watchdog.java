package dev.jobqueue.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One timer thread per started queue, created on first use: fires execution timeouts (interrupt
 * the handler; after the grace, record the TIMEOUT failure of a handler that did not return) and
 * runs the short follow-ups of cancellation notices off the storage's notification thread.
 * Cancelled timers are removed at once, so a busy queue with timeouts does not pile them up.
 */
final class Watchdog {
    private final QueueSettings<?, ?> s;
    private ScheduledThreadPoolExecutor timer; // guarded by this
    private boolean stopped; // guarded by this

    Watchdog(QueueSettings<?, ?> settings) {
        this.s = settings;
    }

    /** A started timeout; {@link #cancel()} when the handler returned. */
    final class Watch {
        private volatile ScheduledFuture<?> timeout;
        private volatile ScheduledFuture<?> grace;
        private volatile boolean cancelled;

        void cancel() {
            cancelled = true;
            ScheduledFuture<?> t = timeout;
            if (t != null) {
                t.cancel(false);
            }
            ScheduledFuture<?> g = grace;
            if (g != null) {
                g.cancel(false);
            }
        }
    }

    /** Interrupts the job's handler after {@code timeout}; null when the watchdog is stopped. */
    <P> Watch watch(RunningJob<P> job, Duration timeout, AttemptRunner<P, ?> runner) {
        ScheduledThreadPoolExecutor t = timer();
        if (t == null) {
            return null;
        }
        Instant startedAt = s.clock().instant();
        long startNanos = System.nanoTime();
        Watch w = new Watch();
        w.timeout = t.schedule(() -> {
            if (w.cancelled || !job.timeOut(timeout)) {
                return;
            }
            s.logger().info("job {} attempt {} ran longer than its timeout of {}; interrupting its handler", job.id(),
                    job.attempt(), timeout);
            w.grace = t.schedule(() -> runner.recordUnresponsive(job, timeout, startedAt, startNanos),
                    s.timeoutGrace().toNanos(), TimeUnit.NANOSECONDS);
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        return w;
    }

    /** Runs a short task on the timer thread (dropped when stopped). */
    void execute(Runnable task) {
        ScheduledThreadPoolExecutor t = timer();
        if (t != null) {
            try {
                t.execute(task);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // stopping: the worker hands its jobs back anyway
            }
        }
    }

    private synchronized ScheduledThreadPoolExecutor timer() {
        if (stopped) {
            return null;
        }
        if (timer == null) {
            timer = new ScheduledThreadPoolExecutor(1, new NamedThreads("jobqueue-" + s.name() + "-watchdog"));
            timer.setRemoveOnCancelPolicy(true);
        }
        return timer;
    }

    void stop() throws InterruptedException {
        ScheduledThreadPoolExecutor t;
        synchronized (this) {
            stopped = true;
            t = timer;
        }
        if (t != null) {
            t.shutdownNow();
            t.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
