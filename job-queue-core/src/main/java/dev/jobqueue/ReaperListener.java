package dev.jobqueue;

import dev.jobqueue.spi.StalledJob;

/**
 * Events of a {@link Reaper}. Every method has a no-op default. Exceptions thrown here are logged
 * and never stop the reaper.
 *
 * <!-- snippet: reaper-listener -->
 * <pre>{@code
 * Reaper.builder(storage).listener(new ReaperListener() {
 *     public void stalled(StalledJob job) { log.warn("job {} stalled on {} ({}x)", job.id(), job.workerId(), job.stalls()); }
 * }).build();
 * }</pre>
 */
public interface ReaperListener {
    /**
     * A job's lease had expired; it was requeued, or FAILED when it stalled too often.
     *
     * @param job the job, the worker that held it, its stall count and its new state
     */
    default void stalled(StalledJob job) {
    }

    /**
     * This reaper became the active leader (with leader election on).
     *
     * @param reaperId this reaper's id
     */
    default void leadershipAcquired(String reaperId) {
    }

    /**
     * This reaper stopped being the leader (stop, failed renewal, or renewal too late).
     *
     * @param reaperId this reaper's id
     */
    default void leadershipLost(String reaperId) {
    }

    /**
     * A storage error the reaper survived; it retries on its next tick.
     *
     * @param error the error
     */
    default void error(Throwable error) {
    }
}
