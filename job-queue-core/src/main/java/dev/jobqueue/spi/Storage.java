package dev.jobqueue.spi;

import dev.jobqueue.CancelResult;
import dev.jobqueue.DeleteResult;
import dev.jobqueue.JobError;
import dev.jobqueue.JobState;
import dev.jobqueue.ListOrder;
import dev.jobqueue.PromoteResult;
import dev.jobqueue.QueueLimits;
import dev.jobqueue.RetryResult;
import dev.jobqueue.TtlUpdateResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The storage SPI: atomic, intention-level operations on the jobs of named queues.
 *
 * <p>Every method is one atomic step: no crash can leave a job in two states or in none, and
 * concurrent callers (threads, processes, hosts) never observe a half-done transition. Every
 * {@code queue} argument is a namespace: jobs, dedup entries, results, leases and locks of one
 * queue are invisible to every other queue on the same storage.
 *
 * <p>Time (delays, leases, TTLs) is the storage's own clock: an injectable {@link java.time.Clock}
 * for local storages, the server's clock for shared ones, so clock skew between hosts cannot
 * reap a live job.
 *
 * <p>Arguments: the library calls a storage only through {@link CheckedStorage}, which rejects
 * bad arguments with an {@link IllegalArgumentException} naming the argument before the storage
 * sees them, so implementations may assume valid arguments. Job ids (and queue names, worker ids,
 * lock names and owners) follow one rule:
 * <ul>
 *   <li>not null and not empty;</li>
 *   <li>at most {@link CheckedStorage#MAX_NAME_LENGTH} (1,024) UTF-16 chars;</li>
 *   <li>well-formed UTF-16: any character, including supplementary ones such as emoji, but no
 *       unpaired surrogate (it has no UTF-8 encoding, so storages could not keep such an id apart
 *       from one with {@code '?'} in its place).</li>
 * </ul>
 * Within the rule an id is opaque: {@code ':'}, braces, slashes, {@code ".."}, spaces and line
 * breaks are stored and read back exactly, and never collide with another id or queue.
 *
 * <p>The states a job moves through, and which operation moves it, are listed in {@link JobTransitions}.
 *
 * <p>Implementations: {@code MemoryStorage} (this module), {@code FileStorage}, {@code RedisStorage}, {@code PostgresStorage}.
 * Each passes the contract suite of the job-queue-testkit module ({@code StorageContract},
 * {@code StorageStatefulProperties}). Application code does not call the SPI directly; it builds
 * a {@link dev.jobqueue.Queue} over a storage:
 *
 * <!-- snippet: storage -->
 * <pre>{@code
 * Storage storage = new MemoryStorage();
 * Queue<Order, Receipt> queue = Queue.builder(storage, Order.class, Receipt.class).name("orders").build();
 * }</pre>
 */
public interface Storage extends AutoCloseable {

    /**
     * Creates the job unless a job with the same id exists in the queue. A CANCELLED record does
     * not block: it is replaced by the new job. Expired terminal records do not exist.
     * The new job is QUEUED when due now, else DELAYED.
      *
      * @param queue the queue's name
      * @param job the job to create: id, payload, run time, priority and limits
      * @return created, or the existing job's snapshot
     */
    EnqueueOutcome enqueue(String queue, NewJob job);

    /**
     * {@link #enqueue} without blocking the caller: the future completes with the outcome, or
     * exceptionally with the error {@code enqueue} would throw. Lets one producer thread keep many
     * enqueues in flight; storages that talk to a server override it to pipeline them. The default
     * enqueues on the calling thread.
     *
     * <p>Program order holds per thread: the thread's async enqueues land in the order issued,
     * and a blocking call it makes afterwards (a {@code cancel} or {@code status} of the same job,
     * say) takes effect after them. Bad arguments throw at once ({@link CheckedStorage}); the
     * future carries the storage's own errors.
      *
      * @param queue the queue's name
      * @param job the job to create
      * @return a future of what {@code enqueue} would return
     */
    default CompletableFuture<EnqueueOutcome> enqueueAsync(String queue, NewJob job) {
        try {
            return CompletableFuture.completedFuture(enqueue(queue, job));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * {@link #enqueue} for many jobs in one call; outcomes in input order. Each job is atomic on its own.
     *
     * @param queue the queue's name
     * @param jobs the jobs to create
     * @return one outcome per job, in the order of {@code jobs}
     */
    List<EnqueueOutcome> enqueueBatch(String queue, List<NewJob> jobs);

    /**
     * Takes up to {@code max} due jobs for {@code workerId}: first promotes due DELAYED and FAILING
     * jobs to QUEUED, then takes QUEUED jobs by priority (higher first) and FIFO within a priority.
     * Each taken job becomes PROCESSING with attempts + 1, a new fencing token and a lease ending
     * {@code lease} from now.
     *
     * <p>When nothing is due, blocks up to {@code maxWait} for work to arrive (an enqueue, a due
     * delayed job, a requeue) and then tries once more; returns an empty list if still nothing.
     * Blocking must be efficient (no busy polling) and respond to enqueues within milliseconds.
     * A thread interrupt ends the wait early (returning what it has, possibly nothing).
      *
      * @param queue the queue's name
      * @param workerId the claiming worker, recorded as lease owner
      * @param max the most jobs to take
      * @param lease the lease length of each taken job
      * @param maxWait how long to block when nothing is due; 0 for not at all
      * @return the taken jobs, possibly none
      * @throws InterruptedException when the thread is interrupted while waiting, for storages that end the wait by throwing
     */
    List<ClaimedJob> claim(String queue, String workerId, int max, Duration lease, Duration maxWait)
            throws InterruptedException;

    /**
     * Heartbeat: pushes the lease deadline of each given claim to {@code lease} from now.
     *
     * @return the job ids whose lease was lost (token no longer current); the others were extended
      * @param queue the queue's name
      * @param leases the claims to extend
      * @param lease the new lease length, counted from now
     */
    List<String> extend(String queue, List<LeaseRef> leases, Duration lease);

    /**
     * PROCESSING → COMPLETED with {@code result}, expiring {@code resultTtl} from now
     * ({@code null}: the job's own result TTL). Notifies terminal listeners.
      *
      * @param queue the queue's name
      * @param lease the claim: job id and fencing token
      * @param result the serialized result
      * @param resultTtl retention of the record, or {@code null}
      * @return {@code APPLIED}, or {@code LEASE_LOST} when the token is not current and nothing changed
     */
    TransitionOutcome complete(String queue, LeaseRef lease, byte[] result, Duration resultTtl);

    /**
     * {@link #complete} for many claims of one queue in one call (a worker records the outcomes of
     * the handlers that finished while its previous call was under way); outcomes in input order.
     * Each completion is atomic on its own and fenced by its own token. Storages override this
     * to pay one round trip or one journal sync for the whole batch.
      *
      * @param queue the queue's name
      * @param completions each claim with its result and result TTL
      * @return one outcome per completion, in the order of {@code completions}
     */
    default List<TransitionOutcome> completeAll(String queue, List<Completion> completions) {
        List<TransitionOutcome> outcomes = new ArrayList<>(completions.size());
        for (Completion c : completions) {
            outcomes.add(complete(queue, c.lease(), c.result(), c.resultTtl()));
        }
        return outcomes;
    }

    /**
     * PROCESSING → FAILED with {@code error}, expiring {@code resultTtl} from now
     * ({@code null}: the job's own result TTL). Notifies terminal listeners.
      *
      * @param queue the queue's name
      * @param lease the claim: job id and fencing token
      * @param error the error to persist
      * @param resultTtl retention of the record, or {@code null}
      * @return {@code APPLIED}, or {@code LEASE_LOST} when the token is not current and nothing changed
     */
    TransitionOutcome fail(String queue, LeaseRef lease, JobError error, Duration resultTtl);

    /**
     * PROCESSING → FAILING: due again {@code backoff} from now; {@code lastError} (not null) is kept for status.
     *
     * @param queue the queue's name
     * @param lease the claim: job id and fencing token
     * @param backoff the wait before the job is due again
     * @param lastError the attempt's error
     * @return {@code APPLIED}, or {@code LEASE_LOST} when the token is not current and nothing changed
     */
    TransitionOutcome retry(String queue, LeaseRef lease, Duration backoff, JobError lastError);

    /**
     * PROCESSING → QUEUED at once (graceful shutdown hands the job back). Not a stall: the stall
     * count is unchanged; the attempt stays counted.
      *
      * @param queue the queue's name
      * @param lease the claim: job id and fencing token
      * @return {@code APPLIED}, or {@code LEASE_LOST} when the token is not current and nothing changed
     */
    TransitionOutcome release(String queue, LeaseRef lease);

    /**
     * {@link #release} for a claim whose handler never started (a worker hands back jobs it claimed
     * ahead): PROCESSING → QUEUED at once, and the attempt the claim counted is taken back, so a
     * job handed back unstarted (on every restart, say) never uses up its attempts.
      *
      * @param queue the queue's name
      * @param lease the claim: job id and fencing token
      * @return {@code APPLIED}, or {@code LEASE_LOST} when the token is not current and nothing changed
     */
    TransitionOutcome unclaim(String queue, LeaseRef lease);

    /**
     * PROCESSING → DELAYED, due {@code delay} from now, and the attempt the claim counted is taken
     * back (as {@link #unclaim} does): the handler asked to run the job later ("snooze") without
     * using an attempt. Not a failure and not a stall: the error, stall count and fencing history
     * are unchanged; the job keeps its FIFO place by its new due time like any DELAYED job.
     *
     * @param queue the queue's name
     * @param lease the claim: job id and fencing token
     * @param delay the wait before the job is due again (&gt;= 0)
     * @return {@code APPLIED}, or {@code LEASE_LOST} when the token is not current and nothing changed
     */
    TransitionOutcome snooze(String queue, LeaseRef lease, Duration delay);

    /**
     * Finds up to {@code limit} PROCESSING jobs whose lease ended, oldest deadline first, without
     * scanning all jobs (an index ordered by lease deadline). Each counts a stall: when the count
     * exceeds the job's maxStalls the job becomes FAILED with a {@link JobError#STALLED_TYPE} error
     * (and terminal listeners are notified), else it becomes QUEUED at once.
      *
      * @param queue the queue's name
      * @param limit the most jobs to handle in this call
      * @return the jobs handled, each saying whether it was requeued or failed
     */
    List<StalledJob> requeueExpired(String queue, int limit);

    /**
     * QUEUED/DELAYED/FAILING/PROCESSING → CANCELLED, kept for the job's result TTL.
     *
     * <p>Cancelling a PROCESSING job ends its lease in the same step: its fencing token is no longer
     * current (so {@code complete}, {@code fail}, {@code retry}, {@code snooze}, {@code release},
     * {@code unclaim} and {@code extend} with it answer {@code LEASE_LOST} / report the lease lost),
     * and it leaves the lease index ({@link #requeueExpired} never sees it). Terminal listeners
     * are notified of every cancelled PROCESSING job, whether or not it has {@code notifyOnTerminal}
     * set, because the worker running it, in whatever process, listens to interrupt its handler;
     * for a waiting job they are notified as for other terminal transitions (when
     * {@code notifyOnTerminal} is set).
     *
     * @param queue the queue's name
     * @param jobId the job's id
     * @return {@code CANCELLED} (also for an already cancelled job), {@code NOT_FOUND}, or the
     *         finished state ({@code COMPLETED}, {@code FAILED}) when nothing changed
     */
    CancelResult cancel(String queue, String jobId);

    /**
     * The job's record, or empty when unknown or expired.
     *
     * @param queue the queue's name
     * @param jobId the job's id
     * @return the job's stored record
     */
    Optional<JobSnapshot> status(String queue, String jobId);

    /**
     * Sets a COMPLETED or FAILED record to expire {@code ttl} from now.
     *
     * @param queue the queue's name
     * @param jobId the job's id
     * @param ttl the new retention, counted from now
     * @return whether the TTL was changed, and if not why
     */
    TtlUpdateResult updateResultTtl(String queue, String jobId, Duration ttl);

    /**
     * Number of live jobs per state (every state present, zero when none).
     *
     * @param queue the queue's name
     * @return the number of jobs in each state
     */
    Map<JobState, Long> counts(String queue);

    /**
     * Up to {@code limit} ids of jobs in {@code state}, in the order they would be processed where that applies.
     *
     * @param queue the queue's name
     * @param state the state to list
     * @param limit the most ids to return
     * @return the job ids
     */
    List<String> list(String queue, JobState state, int limit);

    /**
     * One page of the jobs in {@code state}, with payload, metadata and timing, in {@code order}
     * (see {@link ListOrder} for the order of each state), starting after {@code cursor}.
     *
     * <p>Paging is keyset-based: a job that stays in {@code state} while a caller pages through
     * appears exactly once; a job that enters or leaves the state meanwhile may or may not appear.
     * Each call does work bounded by {@code limit} (plus the index lookup), however many jobs the
     * state holds. Expired terminal records never appear.
     *
     * @param queue the queue's name
     * @param state the state to list
     * @param order the direction
     * @param cursor {@code null} for the first page, else a {@link SnapshotPage#nextCursor()} this
     *        storage returned for the same queue, state and order
     * @param limit the most jobs to return (>= 1)
     * @return the page; its {@code nextCursor} is {@code null} when no job follows
     * @throws IllegalArgumentException naming {@code cursor} when the cursor is malformed (storages
     *         parse it themselves; {@link CheckedStorage} only checks it is not empty)
     */
    SnapshotPage listJobs(String queue, JobState state, ListOrder order, String cursor, int limit);

    /**
     * Operator retry: FAILED or CANCELLED → QUEUED at once, with the same id, payload, priority,
     * metadata and limits, attempts and stalls back to 0, error, result and expiry cleared, and a
     * fencing token above every earlier one. One atomic step.
     *
     * @param queue the queue's name
     * @param jobId the job's id
     * @return {@code RETRIED}; {@code NOT_FOUND}; or {@code NOT_RETRYABLE} for any other state,
     *         when nothing changed
     */
    RetryResult retryJob(String queue, String jobId);

    /**
     * {@link #retryJob} for up to {@code limit} jobs in {@code state} (FAILED or CANCELLED), oldest
     * expiry first. Each call is bounded by {@code limit}; a caller that wants all of them calls
     * again until it returns 0, and may stop between calls without losing or doubling a job.
     *
     * @param queue the queue's name
     * @param state FAILED or CANCELLED
     * @param limit the most jobs to retry in this call (>= 1)
     * @return how many jobs were retried
     */
    int retryAll(String queue, JobState state, int limit);

    /**
     * Deletes a job in any state but PROCESSING: its record, payload, result, error and index
     * entries are gone, and the id is free for a new job. Deleting a waiting (QUEUED, DELAYED or
     * FAILING) job that has {@code notifyOnTerminal} set notifies terminal listeners with a
     * CANCELLED snapshot, so callers waiting for it do not wait for nothing.
     *
     * @param queue the queue's name
     * @param jobId the job's id
     * @return {@code DELETED}, {@code NOT_FOUND}, or {@code PROCESSING} when nothing changed
     */
    DeleteResult deleteJob(String queue, String jobId);

    /**
     * Deletes up to {@code limit} jobs in {@code state} (any state but PROCESSING), as
     * {@link #deleteJob} deletes one, oldest first in {@link ListOrder} terms. Bounded by
     * {@code limit}: a caller that wants all of them calls again until it returns 0.
     *
     * @param queue the queue's name
     * @param state the state to purge; not PROCESSING
     * @param limit the most jobs to delete in this call (>= 1)
     * @return how many jobs were deleted
     */
    int purge(String queue, JobState state, int limit);

    /**
     * DELAYED or FAILING → QUEUED at once, ahead of its due time; idle claimers are woken.
     *
     * @param queue the queue's name
     * @param jobId the job's id
     * @return {@code PROMOTED}, {@code NOT_FOUND}, or {@code NOT_DELAYED} when nothing changed
     */
    PromoteResult promote(String queue, String jobId);

    /**
     * Pauses or resumes {@code queue} for every process and host sharing the storage. While paused,
     * {@link #claim} takes nothing (it waits up to its {@code maxWait} and returns an empty list);
     * enqueues, completions of jobs already running and every other operation work as usual.
     * Resuming wakes idle claimers at once. The flag is durable like the jobs.
     *
     * @param queue the queue's name
     * @param paused true to pause, false to resume
     * @return whether the flag changed (false when the queue already was in that state)
     */
    boolean setPaused(String queue, boolean paused);

    /**
     * Whether {@code queue} is paused (see {@link #setPaused}).
     *
     * @param queue the queue's name
     * @return true while paused
     */
    boolean isPaused(String queue);

    /**
     * Sets the flow-control limits of {@code queue} for every process and host sharing the storage;
     * {@link QueueLimits#NONE} removes them. Durable like the pause flag; the last writer wins.
     *
     * <p>From the next claim on, {@link #claim} takes at most {@code maxRunning} minus the number of
     * the queue's PROCESSING jobs, and at most {@code rateLimit} minus the number of jobs claimed in
     * the last {@code ratePeriod} (storage clock; a sliding window: in no window of that length are
     * more jobs claimed). Both counts are read and updated in the same atomic step as the claim, so
     * concurrent claimers on many hosts never exceed a limit together. A claim held back by a limit
     * waits (within its {@code maxWait}) until the limit could let a job start: until the rate window
     * frees a slot, or until a running job of the queue finishes; it may re-check on a short timer
     * (at most every 250 ms) rather than be woken. Lowering {@code maxRunning} below the number of
     * running jobs stops nothing; it only holds back new claims.
     *
     * <p>A store that keeps the rate window in memory (single-process storages) documents that a
     * restart forgets it.
     *
     * @param queue the queue's name
     * @param limits the new limits
     */
    void setLimits(String queue, QueueLimits limits);

    /**
     * The flow-control limits of {@code queue} (see {@link #setLimits}).
     *
     * @param queue the queue's name
     * @return the limits; {@link QueueLimits#NONE} when none were set
     */
    QueueLimits limits(String queue);

    /**
     * Holds back every claim of {@code queue}, on every process and host, until {@code duration} from
     * now (storage clock): a handler was told by a downstream service to back off (an HTTP 429, say).
     * A throttle never shortens one already in force: the later end wins. Claims held back wait
     * within their {@code maxWait} as for a pause, and take jobs again once the throttle ends without
     * being woken by anyone. Running jobs, enqueues and every other operation are unaffected. The
     * throttle need not survive a restart of a single-process storage.
     *
     * @param queue the queue's name
     * @param duration how long to hold back claims (&gt; 0, at most 1 day)
     * @return when claims may resume (the later of the old and new ends)
     */
    Instant throttle(String queue, Duration duration);

    /**
     * Creates or updates recurring schedule {@code scheduleId} of {@code queue}. Idempotent: when a
     * schedule with that id exists with a byte-equal {@code definition}, nothing changes (its
     * {@code nextFireAt} and version stay, whatever {@code nextFireAt} is passed). Otherwise the
     * definition and {@code nextFireAt} are stored and the version becomes 1 (new) or the old
     * version + 1 (changed). Durable like the jobs.
     *
     * @param queue the queue's name
     * @param scheduleId the schedule's id (a name)
     * @param definition the library's encoded definition, at most {@link ScheduleRecord#MAX_DEFINITION_BYTES}
     * @param nextFireAt the first fire time when the schedule is new or changed
     * @return the schedule as stored after the call
     */
    ScheduleRecord upsertSchedule(String queue, String scheduleId, byte[] definition, Instant nextFireAt);

    /**
     * Removes schedule {@code scheduleId} of {@code queue}; jobs it already enqueued stay.
     *
     * @param queue the queue's name
     * @param scheduleId the schedule's id
     * @return whether it existed
     */
    boolean removeSchedule(String queue, String scheduleId);

    /**
     * Every schedule of {@code queue}, sorted by id ({@link String#compareTo}). Schedules are few
     * (tens, hundreds); this reads them all.
     *
     * @param queue the queue's name
     * @return the schedules
     */
    List<ScheduleRecord> listSchedules(String queue);

    /**
     * Up to {@code limit} schedules of {@code queue} whose {@code nextFireAt} is at or before now
     * (storage clock), earliest first, without reading the others (an index by fire time). Called
     * by every serving process about once a second, so it must be cheap when nothing is due.
     *
     * @param queue the queue's name
     * @param limit the most schedules to return (&gt;= 1)
     * @return the due schedules
     */
    List<ScheduleRecord> dueSchedules(String queue, int limit);

    /**
     * Compare-and-set of a schedule's next fire time: when schedule {@code scheduleId} exists with
     * version {@code expectedVersion}, sets its {@code nextFireAt} and increments its version;
     * otherwise changes nothing. Of several processes that fired the same due schedule, exactly one
     * advances it.
     *
     * @param queue the queue's name
     * @param scheduleId the schedule's id
     * @param expectedVersion the version the caller read
     * @param nextFireAt the new next fire time
     * @return whether the schedule was advanced
     */
    boolean advanceSchedule(String queue, String scheduleId, long expectedVersion, Instant nextFireAt);

    /**
     * The names of every queue of this storage that has at least one live job record (in any
     * state, including kept terminal records) or a pause flag, sorted by {@link String#compareTo}.
     * For operator tools (dashboards, command lines) that show every queue. A storage may also
     * list a queue whose last record expired a moment ago; it never misses a queue with a live
     * job or a pause flag. Each storage documents what a call costs.
     *
     * @return the queue names, sorted, without duplicates
     */
    List<String> queueNames();

    /**
     * How many jobs of {@code queue} became COMPLETED and FAILED (stall-failed included) since the
     * storage's data was created: monotonic counters, durable like the jobs (an in-memory storage
     * counts since it was created). Retries, cancels and deletes do not count; a job retried by an
     * operator and finished again counts again. A queue with no finished job answers
     * {@link FinishedTotals#NONE}; asking creates nothing.
     *
     * @param queue the queue's name
     * @return the counters
     */
    FinishedTotals finishedTotals(String queue);

    /**
     * Registers a listener for terminal transitions of {@code queue}, from any process sharing
     * the storage. Storages share one underlying subscription per queue, not one per job.
      *
      * @param queue the queue's name
      * @param listener told of each job that becomes COMPLETED, FAILED or CANCELLED
      * @return the handle that ends the subscription
     */
    Subscription subscribe(String queue, TerminalListener listener);

    /**
     * Takes lock {@code lock} of {@code queue} for {@code owner} when free or expired.
     *
     * @param queue the queue's name
     * @param lock the lock's name within the queue
     * @param owner who takes or holds it, e.g. a reaper's id
     * @param ttl how long the lock holds without renewal
     * @return whether {@code owner} now holds the lock
     */
    boolean acquireLock(String queue, String lock, String owner, Duration ttl);

    /**
     * Extends the lock to {@code ttl} from now if {@code owner} still holds it.
     *
     * @param queue the queue's name
     * @param lock the lock's name within the queue
     * @param owner who takes or holds it, e.g. a reaper's id
     * @param ttl the new lifetime, counted from now
     * @return whether {@code owner} still held the lock and it was extended
     */
    boolean renewLock(String queue, String lock, String owner, Duration ttl);

    /**
     * Frees the lock if {@code owner} holds it.
     *
     * @param queue the queue's name
     * @param lock the lock's name within the queue
     * @param owner who takes or holds it, e.g. a reaper's id
     * @return whether {@code owner} held the lock and it was freed
     */
    boolean releaseLock(String queue, String lock, String owner);

    /** Releases connections, files and threads. Queues built on the storage must be stopped first. */
    @Override
    void close();
}
