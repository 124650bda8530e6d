package dev.jobqueue;

/**
 * What a recurring {@link Schedule} does with a fire time that passed while no process served its
 * queue (a deployment, an outage): a fire time more than the queue's
 * {@link Queue.Builder#misfireThreshold(java.time.Duration) misfireThreshold} (default 60 s) in the
 * past when a process finds it. Several missed fire times of one schedule count as one misfire:
 * no schedule ever catches up with a burst of jobs.
 *
 * <!-- snippet: misfire-policy -->
 * <pre>{@code
 * Schedule<Report> hourly = Schedule.<Report>cron("hourly-stats", "0 * * * *")
 *         .misfire(MisfirePolicy.SKIP);   // a missed hour is not worth running late
 * }</pre>
 */
public enum MisfirePolicy {
    /** No job for the missed fire time(s); the schedule continues with its next fire time after now. */
    SKIP,
    /**
     * One job for the earliest missed fire time (its job id names that time), then the schedule
     * continues with its next fire time after now. The default.
     */
    RUN_ONCE
}
