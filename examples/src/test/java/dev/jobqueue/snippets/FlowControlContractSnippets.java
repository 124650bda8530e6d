package dev.jobqueue.snippets;

import dev.jobqueue.QueueLimits;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.ScheduleRecord;
import dev.jobqueue.spi.Storage;
import java.time.Duration;
import java.time.Instant;

/**
 * The examples in the Javadoc of the scheduling and flow-control contracts (SnoozeContract,
 * CancelRunningContract, LimitsContract, ThrottleContract, ScheduleContract): compiled, never run.
 */
@SuppressWarnings("unused")
abstract class FlowControlContractSnippets {
    Storage storage;
    String queue;
    Duration lease;
    LeaseRef runningLease;
    byte[] result;
    byte[] definition;
    Instant firstFire;
    Instant nextFire;

    void snoozeContract() throws InterruptedException {
        // snippet: snooze-contract
        ClaimedJob c = storage.claim(queue, "w", 1, lease, Duration.ZERO).get(0);
        storage.snooze(queue, new LeaseRef(c.id(), c.fencingToken()), Duration.ofMinutes(5)); // APPLIED, or LEASE_LOST
        // five minutes later the job is claimed again with the same attempt number
        // end-snippet
    }

    void cancelRunningContract() {
        // snippet: cancel-running-contract
        storage.cancel(queue, "report-7");                        // CANCELLED, also while it runs
        storage.complete(queue, runningLease, result, null);      // LEASE_LOST: the late outcome is rejected
        // end-snippet
    }

    void limitsContract() throws InterruptedException {
        // snippet: limits-contract
        storage.setLimits(queue, QueueLimits.NONE.withMaxRunning(2).withRate(5, Duration.ofSeconds(1)));
        storage.claim(queue, "w", 10, lease, Duration.ZERO); // at most 2 jobs
        // end-snippet
    }

    void throttleContract() throws InterruptedException {
        // snippet: throttle-contract
        Instant until = storage.throttle(queue, Duration.ofSeconds(30)); // a downstream said 429
        storage.claim(queue, "w", 10, lease, Duration.ZERO);            // [] until then
        // end-snippet
    }

    void scheduleContract() {
        // snippet: schedule-contract
        ScheduleRecord s = storage.upsertSchedule(queue, "nightly", definition, firstFire); // version 1
        storage.advanceSchedule(queue, "nightly", s.version(), nextFire);                // true once per version
        // end-snippet
    }
}
