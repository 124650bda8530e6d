package dev.jobqueue.snippets;

import dev.jobqueue.JobError;
import dev.jobqueue.JobState;
import dev.jobqueue.QueueLimits;
import dev.jobqueue.spi.CheckedStorage;
import dev.jobqueue.memory.MemoryStorage;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.Completion;
import dev.jobqueue.spi.EnqueueOutcome;
import dev.jobqueue.spi.JobErrorCodec;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.JobTransitions;
import dev.jobqueue.spi.JobTransitions.Operation;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.NewJob;
import dev.jobqueue.spi.ScheduleRecord;
import dev.jobqueue.spi.StalledJob;
import dev.jobqueue.spi.Storage;
import dev.jobqueue.spi.Subscription;
import dev.jobqueue.spi.TerminalListener;
import dev.jobqueue.spi.TransitionOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;

/** The examples in the Javadoc of the storage SPI (dev.jobqueue.spi): compiled, never run. */
@SuppressWarnings("unused")
abstract class SpiSnippets {
    Storage storage;
    String queue;
    String workerId;
    Duration lease;
    NewJob job;
    ClaimedJob a;
    ClaimedJob b;
    byte[] result;
    byte[] resultA;
    byte[] resultB;
    byte[] json;
    JobError error;
    Logger log;
    Set<String> done;
    Waiters waiters;
    String id;

    interface Waiters {
        void complete(String jobId, JobSnapshot snapshot);

        void recheckAll();
    }

    abstract byte[] run(byte[] payload, int attempt);

    void claimedJob() throws InterruptedException {
        // snippet: claimed-job
        for (ClaimedJob job : storage.claim(queue, workerId, 16, Duration.ofSeconds(30), Duration.ofSeconds(5))) {
            byte[] result = run(job.payload(), job.attempt());
            storage.complete(queue, new LeaseRef(job.id(), job.fencingToken()), result, null);
        }
        // end-snippet
    }

    void completion() {
        // snippet: completion
        List<TransitionOutcome> outcomes = storage.completeAll(queue, List.of(
                new Completion(new LeaseRef(a.id(), a.fencingToken()), resultA, null),
                new Completion(new LeaseRef(b.id(), b.fencingToken()), resultB, Duration.ofMinutes(5))));
        // end-snippet
    }

    void enqueueOutcome() {
        // snippet: enqueue-outcome
        EnqueueOutcome outcome = storage.enqueue(queue, job);
        if (!outcome.created()) {
            log.info("{} exists already: {}", job.id(), outcome.existing().state());
        }
        // end-snippet
    }

    void jobErrorCodec() {
        // snippet: job-error-codec
        byte[] stored = JobErrorCodec.encode(error);     // when a job fails
        JobError read = JobErrorCodec.decode(stored);    // when status() reads it back
        // end-snippet
    }

    void jobSnapshot() {
        // snippet: job-snapshot
        storage.status(queue, "order-42").ifPresent(s -> System.out.println(s.state() + " after " + s.attempts() + " attempts"));
        // end-snippet
    }

    void leaseRef() throws InterruptedException {
        // snippet: lease-ref
        ClaimedJob job = storage.claim(queue, workerId, 1, lease, Duration.ZERO).get(0);
        storage.complete(queue, new LeaseRef(job.id(), job.fencingToken()), result, null);
        // end-snippet
    }

    void newJob() {
        // snippet: new-job
        NewJob job = new NewJob("order-42", json, 0, Duration.ZERO, null, 3, 3, Duration.ofHours(1), false);
        EnqueueOutcome outcome = storage.enqueue("orders", job); // created, or the existing job's snapshot
        // end-snippet
    }

    void stalledJob() {
        // snippet: stalled-job
        for (StalledJob s : storage.requeueExpired(queue, 100)) {
            log.warn("job {} stalled on {} ({} times), now {}", s.id(), s.workerId(), s.stalls(), s.newState());
        }
        // end-snippet
    }

    void subscription() {
        // snippet: subscription
        Subscription s = storage.subscribe("emails", (jobId, snapshot) -> done.add(jobId));
        // told about every job of "emails" that ends, until:
        s.close();
        // end-snippet
    }

    void terminalListener() {
        // snippet: terminal-listener
        Subscription s = storage.subscribe(queue, new TerminalListener() {
            public void onTerminal(String jobId, JobSnapshot snapshot) { waiters.complete(jobId, snapshot); }
            public void onResubscribed() { waiters.recheckAll(); } // notifications may have been missed
        });
        // end-snippet
    }

    void transitionOutcome(LeaseRef lease) {
        // snippet: transition-outcome
        if (storage.complete(queue, lease, result, null) == TransitionOutcome.LEASE_LOST) {
            // the Reaper gave the job to another worker meanwhile: this outcome is dropped
        }
        // end-snippet
    }

    void checkedStorage() {
        // snippet: checked-storage
        Storage storage = CheckedStorage.of(new MemoryStorage());
        storage.enqueue("orders", job);                  // checked, then forwarded
        storage.status("orders", "x" + (char) 0xD800);   // IllegalArgumentException: jobId must be well-formed UTF-16, ...
        assert CheckedStorage.of(storage) == storage;    // wrapping twice checks once
        // end-snippet
    }

    void checkedStorageRequireValidName() {
        // snippet: checked-storage-require-valid-name
        CheckedStorage.requireValidName(id, "id"); // IllegalArgumentException: id must not be empty
        // end-snippet
    }

    void jobTransitions() {
        // snippet: job-transitions
        JobTransitions.allows(Operation.CLAIM, JobState.QUEUED, JobState.PROCESSING);      // true
        JobTransitions.allows(Operation.CANCEL, JobState.COMPLETED, JobState.CANCELLED);   // false
        JobTransitions.targets(Operation.STALL, JobState.PROCESSING);                      // [QUEUED, FAILED]
        // end-snippet
    }

    void spiPackage() {
        // snippet: spi-package
        Storage storage = CheckedStorage.of(new MyStorage());
        // end-snippet
    }

    void queueLimits() {
        // snippet: queue-limits
        // at most 4 running at once across all hosts, at most 100 starts per minute
        QueueLimits limits = QueueLimits.NONE.withMaxRunning(4).withRate(100, Duration.ofMinutes(1));
        storage.setLimits("emails", limits);
        // end-snippet
    }

    void scheduleRecord() {
        // snippet: spi-schedule-record
        for (ScheduleRecord due : storage.dueSchedules("reports", 100)) {
            // enqueue the job of due.nextFireAt() (its id holds the fire time, so a second enqueue is a no-op), then:
            storage.advanceSchedule("reports", due.id(), due.version(), nextFireAfter(due));
        }
        // end-snippet
    }

    private static Instant nextFireAfter(ScheduleRecord record) {
        return record.nextFireAt().plus(Duration.ofHours(1));
    }
}
