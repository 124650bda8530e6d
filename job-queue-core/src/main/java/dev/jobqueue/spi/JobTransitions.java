package dev.jobqueue.spi;

import dev.jobqueue.JobState;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The one table of the state changes a job may make, and which operation makes each. Every
 * storage implements exactly these; the contract suite's reference model and its tests check
 * every change they see against this table.
 *
 * <table class="striped">
 *   <caption>Allowed transitions ("none": no record of the job exists)</caption>
 *   <thead>
 *     <tr><th scope="col">Operation</th><th scope="col">Made by</th><th scope="col">From</th><th scope="col">To</th></tr>
 *   </thead>
 *   <tbody>
 *     <tr><td>{@link Operation#ENQUEUE ENQUEUE}</td><td>{@code enqueue}, {@code enqueueAsync}, {@code enqueueBatch}</td>
 *         <td>none, CANCELLED</td><td>QUEUED (due now), DELAYED (due later)</td></tr>
 *     <tr><td>{@link Operation#PROMOTE PROMOTE}</td><td>{@code claim}, before it takes jobs; {@code promote}</td>
 *         <td>DELAYED, FAILING (due)</td><td>QUEUED</td></tr>
 *     <tr><td>{@link Operation#CLAIM CLAIM}</td><td>{@code claim}</td><td>QUEUED</td><td>PROCESSING</td></tr>
 *     <tr><td>{@link Operation#COMPLETE COMPLETE}</td><td>{@code complete}, {@code completeAll}</td>
 *         <td>PROCESSING</td><td>COMPLETED</td></tr>
 *     <tr><td>{@link Operation#FAIL FAIL}</td><td>{@code fail}</td><td>PROCESSING</td><td>FAILED</td></tr>
 *     <tr><td>{@link Operation#RETRY RETRY}</td><td>{@code retry}</td><td>PROCESSING</td><td>FAILING</td></tr>
 *     <tr><td>{@link Operation#RELEASE RELEASE}</td><td>{@code release}</td><td>PROCESSING</td><td>QUEUED</td></tr>
 *     <tr><td>{@link Operation#UNCLAIM UNCLAIM}</td><td>{@code unclaim}</td><td>PROCESSING</td><td>QUEUED</td></tr>
 *     <tr><td>{@link Operation#SNOOZE SNOOZE}</td><td>{@code snooze}</td><td>PROCESSING</td><td>DELAYED</td></tr>
 *     <tr><td>{@link Operation#STALL STALL}</td><td>{@code requeueExpired}</td><td>PROCESSING (lease ended)</td>
 *         <td>QUEUED, or FAILED past {@code maxStalls}</td></tr>
 *     <tr><td>{@link Operation#CANCEL CANCEL}</td><td>{@code cancel}</td><td>QUEUED, DELAYED, FAILING, PROCESSING</td>
 *         <td>CANCELLED</td></tr>
 *     <tr><td>{@link Operation#EXPIRE EXPIRE}</td><td>time: the record's TTL ends</td>
 *         <td>COMPLETED, FAILED, CANCELLED</td><td>none</td></tr>
 *     <tr><td>{@link Operation#RETRY_JOB RETRY_JOB}</td><td>{@code retryJob}, {@code retryAll}</td>
 *         <td>FAILED, CANCELLED</td><td>QUEUED</td></tr>
 *     <tr><td>{@link Operation#DELETE DELETE}</td><td>{@code deleteJob}, {@code purge}</td>
 *         <td>every state but PROCESSING</td><td>none</td></tr>
 *   </tbody>
 * </table>
 *
 * <p>Everything else leaves the job as it is: a fenced operation whose token is not current
 * answers {@link TransitionOutcome#LEASE_LOST}, {@code cancel} of a finished job
 * answers its state, an enqueue of an existing id answers the existing record.
 *
 * <!-- snippet: job-transitions -->
 * <pre>{@code
 * JobTransitions.allows(Operation.CLAIM, JobState.QUEUED, JobState.PROCESSING);      // true
 * JobTransitions.allows(Operation.CANCEL, JobState.COMPLETED, JobState.CANCELLED);   // false
 * JobTransitions.targets(Operation.STALL, JobState.PROCESSING);                      // [QUEUED, FAILED]
 * }</pre>
 */
public final class JobTransitions {
    /** What moves a job: an SPI operation, or time ({@link #PROMOTE} inside a claim, {@link #EXPIRE}). */
    public enum Operation {
        /** A new job, or one replacing a CANCELLED record. */
        ENQUEUE,
        /** A DELAYED or FAILING job becomes claimable: when due, by a claim on its queue; at once, by {@code promote}. */
        PROMOTE,
        /** A worker takes the job under a lease. */
        CLAIM,
        /** The handler returned a result. */
        COMPLETE,
        /** The handler failed for good. */
        FAIL,
        /** The handler failed; the job runs again after a backoff. */
        RETRY,
        /** The worker hands the job back (graceful shutdown); the attempt stays counted. */
        RELEASE,
        /** The worker hands back a job it never started; the attempt is taken back. */
        UNCLAIM,
        /** The handler asked to run the job later; the attempt is taken back. */
        SNOOZE,
        /** The lease ended without an outcome ({@code requeueExpired}). */
        STALL,
        /** The job is cancelled: before it runs, or while it runs (its lease ends). */
        CANCEL,
        /** The record of a finished or cancelled job reaches the end of its TTL and disappears. */
        EXPIRE,
        /** An operator retries a failed or cancelled job: back to QUEUED with a fresh attempt budget. */
        RETRY_JOB,
        /** An operator deletes a job that no worker holds ({@code deleteJob}, {@code purge}). */
        DELETE
    }

    /**
     * One allowed change.
     *
     * @param operation what makes it
     * @param from      the state before, {@code null} when no record exists
     * @param to        the state after, {@code null} when the record is gone
     */
    public record Transition(Operation operation, JobState from, JobState to) {
    }

    private static final List<Transition> TABLE = List.of(
            new Transition(Operation.ENQUEUE, null, JobState.QUEUED),
            new Transition(Operation.ENQUEUE, null, JobState.DELAYED),
            new Transition(Operation.ENQUEUE, JobState.CANCELLED, JobState.QUEUED),
            new Transition(Operation.ENQUEUE, JobState.CANCELLED, JobState.DELAYED),
            new Transition(Operation.PROMOTE, JobState.DELAYED, JobState.QUEUED),
            new Transition(Operation.PROMOTE, JobState.FAILING, JobState.QUEUED),
            new Transition(Operation.CLAIM, JobState.QUEUED, JobState.PROCESSING),
            new Transition(Operation.COMPLETE, JobState.PROCESSING, JobState.COMPLETED),
            new Transition(Operation.FAIL, JobState.PROCESSING, JobState.FAILED),
            new Transition(Operation.RETRY, JobState.PROCESSING, JobState.FAILING),
            new Transition(Operation.RELEASE, JobState.PROCESSING, JobState.QUEUED),
            new Transition(Operation.UNCLAIM, JobState.PROCESSING, JobState.QUEUED),
            new Transition(Operation.SNOOZE, JobState.PROCESSING, JobState.DELAYED),
            new Transition(Operation.STALL, JobState.PROCESSING, JobState.QUEUED),
            new Transition(Operation.STALL, JobState.PROCESSING, JobState.FAILED),
            new Transition(Operation.CANCEL, JobState.QUEUED, JobState.CANCELLED),
            new Transition(Operation.CANCEL, JobState.DELAYED, JobState.CANCELLED),
            new Transition(Operation.CANCEL, JobState.FAILING, JobState.CANCELLED),
            new Transition(Operation.CANCEL, JobState.PROCESSING, JobState.CANCELLED),
            new Transition(Operation.EXPIRE, JobState.COMPLETED, null),
            new Transition(Operation.EXPIRE, JobState.FAILED, null),
            new Transition(Operation.EXPIRE, JobState.CANCELLED, null),
            new Transition(Operation.RETRY_JOB, JobState.FAILED, JobState.QUEUED),
            new Transition(Operation.RETRY_JOB, JobState.CANCELLED, JobState.QUEUED),
            new Transition(Operation.DELETE, JobState.QUEUED, null),
            new Transition(Operation.DELETE, JobState.DELAYED, null),
            new Transition(Operation.DELETE, JobState.FAILING, null),
            new Transition(Operation.DELETE, JobState.COMPLETED, null),
            new Transition(Operation.DELETE, JobState.FAILED, null),
            new Transition(Operation.DELETE, JobState.CANCELLED, null));

    private JobTransitions() {
    }

    /**
     * Every allowed transition, in the order of the table above.
     *
     * @return the unmodifiable transition table
     */
    public static List<Transition> all() {
        return TABLE;
    }

    /**
     * True when {@code operation} may move a job from {@code from} to {@code to} ({@code null}: no record).
     *
     * @param operation the storage operation
     * @param from the job's state before, or {@code null} when there is no record
     * @param to the job's state after, or {@code null} when the record is removed
     * @return whether the table holds that transition
     */
    public static boolean allows(Operation operation, JobState from, JobState to) {
        for (Transition t : TABLE) {
            if (t.operation() == operation && t.from() == from && t.to() == to) {
                return true;
            }
        }
        return false;
    }

    /**
     * The states {@code operation} may move a job in {@code from} ({@code null}: no record) to;
     * empty when it leaves such a job alone or, for {@link Operation#EXPIRE}, removes the record.
      *
      * @param operation the storage operation
      * @param from the job's state before, or {@code null} when there is no record
      * @return the possible states after, as a new mutable set
     */
    public static Set<JobState> targets(Operation operation, JobState from) {
        Set<JobState> to = EnumSet.noneOf(JobState.class);
        for (Transition t : TABLE) {
            if (t.operation() == operation && t.from() == from && t.to() != null) {
                to.add(t.to());
            }
        }
        return to;
    }
}
