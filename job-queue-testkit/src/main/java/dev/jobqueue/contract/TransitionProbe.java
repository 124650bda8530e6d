package dev.jobqueue.contract;

import static dev.jobqueue.contract.TestJobs.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobState;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.JobTransitions;
import dev.jobqueue.spi.JobTransitions.Operation;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.Storage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Puts one job in each state (and none), applies each operation to it, each pair in a queue of
 * its own, and checks every change it sees against {@link JobTransitions}; then checks that every
 * row of the table was seen, so a table row no storage makes is caught as well.
 */
final class TransitionProbe {
    /** Delays and backoffs: due after {@link #DUE}, long before the result TTL ends. */
    private static final Duration DUE = Duration.ofMinutes(10);
    private static final String ID = "j";

    /** What a case does to its job; some steps are one operation of the table, some two. */
    private enum Step {
        ENQUEUE_NOW(Operation.ENQUEUE),
        ENQUEUE_LATER(Operation.ENQUEUE),
        CLAIM(Operation.CLAIM),
        CLAIM_WHEN_DUE(Operation.PROMOTE, Operation.CLAIM),
        COMPLETE(Operation.COMPLETE),
        FAIL(Operation.FAIL),
        RETRY(Operation.RETRY),
        RELEASE(Operation.RELEASE),
        UNCLAIM(Operation.UNCLAIM),
        SNOOZE(Operation.SNOOZE),
        REQUEUE_EXPIRED(Operation.STALL),
        REQUEUE_EXPIRED_LAST_STALL(Operation.STALL),
        CANCEL(Operation.CANCEL),
        EXPIRE(Operation.EXPIRE),
        RETRY_JOB(Operation.RETRY_JOB),
        RETRY_ALL(Operation.RETRY_JOB),
        DELETE(Operation.DELETE),
        PURGE(Operation.DELETE),
        PROMOTE(Operation.PROMOTE);

        final Operation[] operations;

        Step(Operation... operations) {
            this.operations = operations;
        }
    }

    private final StorageFixture fixture;
    private final Storage storage;
    private final Set<JobTransitions.Transition> seen = new LinkedHashSet<>();

    TransitionProbe(StorageFixture fixture) {
        this.fixture = fixture;
        this.storage = fixture.storage();
    }

    void run() throws InterruptedException {
        List<JobState> starts = new ArrayList<>(Arrays.asList(JobState.values()));
        starts.add(0, null);
        for (JobState from : starts) {
            for (Step step : Step.values()) {
                probe(from, step);
            }
        }
        List<JobTransitions.Transition> unseen = new ArrayList<>(JobTransitions.all());
        unseen.removeAll(seen);
        assertEquals(List.of(), unseen, "transitions of the table the storage never made");
    }

    private void probe(JobState from, Step step) throws InterruptedException {
        String queue = fixture.queue() + "-" + from + "-" + step;
        int maxStalls = step == Step.REQUEUE_EXPIRED_LAST_STALL ? 0 : 1;
        LeaseRef lease = arrange(queue, from, maxStalls);
        assertEquals(from, state(queue), "arranged state");
        apply(queue, step, lease);
        JobState to = state(queue);
        String what = step + " of a job " + (from == null ? "that does not exist" : "in " + from) + " made it "
                + (to == null ? "disappear" : to.toString());
        assertTrue(TransitionChecks.allowed(from, to, step.operations), what + ": not in JobTransitions");
        record(from, to, step.operations);
    }

    /** Remembers which rows of the table made the change (the first that fits, then the rest of the path). */
    private void record(JobState from, JobState to, Operation[] operations) {
        JobState at = from;
        for (Operation op : operations) {
            if (at == to) {
                return;
            }
            for (JobTransitions.Transition t : JobTransitions.all()) {
                if (t.operation() == op && t.from() == at && TransitionChecks.allowed(t.to(), to, rest(operations, op))) {
                    seen.add(t);
                    at = t.to();
                    break;
                }
            }
        }
    }

    private static Operation[] rest(Operation[] operations, Operation after) {
        int i = Arrays.asList(operations).indexOf(after);
        return Arrays.copyOfRange(operations, i + 1, operations.length);
    }

    /** Puts job {@link #ID} of {@code queue} in state {@code from}; returns the lease of its last claim. */
    private LeaseRef arrange(String queue, JobState from, int maxStalls) throws InterruptedException {
        LeaseRef never = new LeaseRef(ID, 0);
        if (from == null) {
            return never;
        }
        if (from == JobState.DELAYED) {
            storage.enqueue(queue, job(ID).maxStalls(maxStalls).delay(DUE).build());
            return never;
        }
        storage.enqueue(queue, job(ID).maxStalls(maxStalls).build());
        if (from == JobState.QUEUED) {
            return never;
        }
        if (from == JobState.CANCELLED) {
            storage.cancel(queue, ID);
            return never;
        }
        ClaimedJob c = storage.claim(queue, "w", 1, StorageFixture.LEASE, Duration.ZERO).get(0);
        LeaseRef lease = new LeaseRef(c.id(), c.fencingToken());
        switch (from) {
            case FAILING -> storage.retry(queue, lease, DUE, fixture.error("again"));
            case COMPLETED -> storage.complete(queue, lease, fixture.bytes("r"), null);
            case FAILED -> storage.fail(queue, lease, fixture.error("no"), null);
            default -> {
            }
        }
        return lease;
    }

    private void apply(String queue, Step step, LeaseRef lease) throws InterruptedException {
        switch (step) {
            case ENQUEUE_NOW -> storage.enqueue(queue, job(ID).build());
            case ENQUEUE_LATER -> storage.enqueue(queue, job(ID).delay(DUE).build());
            case CLAIM -> storage.claim(queue, "w2", 1, StorageFixture.LEASE, Duration.ZERO);
            case CLAIM_WHEN_DUE -> {
                fixture.clock().advance(DUE);
                storage.claim(queue, "w2", 1, StorageFixture.LEASE, Duration.ZERO);
            }
            case COMPLETE -> storage.complete(queue, lease, fixture.bytes("r2"), null);
            case FAIL -> storage.fail(queue, lease, fixture.error("failed"), null);
            case RETRY -> storage.retry(queue, lease, DUE, fixture.error("retry"));
            case RELEASE -> storage.release(queue, lease);
            case UNCLAIM -> storage.unclaim(queue, lease);
            case SNOOZE -> storage.snooze(queue, lease, DUE);
            case REQUEUE_EXPIRED, REQUEUE_EXPIRED_LAST_STALL -> {
                fixture.clock().advance(StorageFixture.LEASE);
                storage.requeueExpired(queue, 10);
            }
            case CANCEL -> storage.cancel(queue, ID);
            case EXPIRE -> fixture.clock().advance(StorageFixture.TTL);
            case RETRY_JOB -> storage.retryJob(queue, ID);
            case RETRY_ALL -> {
                storage.retryAll(queue, JobState.FAILED, 10);
                storage.retryAll(queue, JobState.CANCELLED, 10);
            }
            case DELETE -> storage.deleteJob(queue, ID);
            case PURGE -> {
                for (JobState state : JobState.values()) {
                    if (state != JobState.PROCESSING) {
                        storage.purge(queue, state, 10);
                    }
                }
            }
            case PROMOTE -> storage.promote(queue, ID);
            default -> throw new IllegalStateException("unknown step " + step);
        }
    }

    private JobState state(String queue) {
        return storage.status(queue, ID).map(JobSnapshot::state).orElse(null);
    }
}
