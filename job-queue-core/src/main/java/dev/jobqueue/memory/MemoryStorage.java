package dev.jobqueue.memory;

import dev.jobqueue.CancelResult;
import dev.jobqueue.DeleteResult;
import dev.jobqueue.JobError;
import dev.jobqueue.JobState;
import dev.jobqueue.ListOrder;
import dev.jobqueue.PromoteResult;
import dev.jobqueue.QueueLimits;
import dev.jobqueue.RetryResult;
import dev.jobqueue.TtlUpdateResult;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.Completion;
import dev.jobqueue.spi.EnqueueOutcome;
import dev.jobqueue.spi.FinishedTotals;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.NewJob;
import dev.jobqueue.spi.ScheduleRecord;
import dev.jobqueue.spi.SnapshotPage;
import dev.jobqueue.spi.StalledJob;
import dev.jobqueue.spi.Storage;
import dev.jobqueue.spi.Subscription;
import dev.jobqueue.spi.TerminalListener;
import dev.jobqueue.spi.TransitionOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * A {@link Storage} that keeps every queue in this process's memory: for unit tests, development
 * and embedded single-process applications. Nothing survives the process; use {@code FileStorage}
 * or {@code RedisStorage} when jobs must outlive it.
 *
 * <!-- snippet: memory-storage -->
 * <pre>{@code
 * Storage storage = new MemoryStorage();
 * Queue<Order, Receipt> queue = Queue.builder(storage, Order.class, Receipt.class)
 *         .name("orders").handler(job -> ship(job.payload())).build();
 * queue.start();
 *
 * // in tests, drive time by hand with the ManualClock of the job-queue-testkit module (test scope):
 * ManualClock clock = new ManualClock();
 * Storage testStorage = new MemoryStorage(clock);
 * }</pre>
 *
 * <p>Arguments are not checked here: the library calls every storage through
 * {@link dev.jobqueue.spi.CheckedStorage}, and code that calls the SPI itself should too
 * ({@code CheckedStorage.of(new MemoryStorage())}).
 *
 * <p>Behaviour, as the storage contract specifies it for every storage:
 * <ul>
 *   <li>All deadlines (delay, lease, TTL, leader locks) come from the given {@link Clock}, kept
 *       with millisecond precision; a deadline at or before now has passed.</li>
 *   <li>Due DELAYED and FAILING jobs become QUEUED when a claim on their queue runs.</li>
 *   <li>Terminal records are dropped lazily once their TTL ended (on the next enqueue, claim,
 *       count or listing of the queue); an expired record is never visible.</li>
 *   <li>Payload and result arrays are copied on the way in and on the way out, so callers can
 *       neither change stored jobs nor see each other's changes.</li>
 *   <li>Terminal listeners run on the thread that made the transition, after it, outside locks;
 *       a listener's exception is logged and ignored. Every terminal transition is reported,
 *       whatever the job's {@code notifyOnTerminal} flag; a deleted waiting job is reported
 *       CANCELLED when the flag is set.</li>
 *   <li>{@code listJobs} pages with keyset cursors over the indexes the claims and the reaper
 *       use: the page's start is found by binary search and the page read from there. Ties are
 *       broken by enqueue sequence (an operator retry or promote gives the job a new one).</li>
 *   <li>The pause flag of a queue lives as long as its jobs: in this process only. So do its
 *       limits, throttle and schedules; the rate window (the claim times of the last
 *       {@code ratePeriod}) is kept in memory and forgotten with the process, and a rate limit
 *       counts the claims made since it was set.</li>
 *   <li>Limits are checked in a per-queue critical section around the take, entered only by
 *       claims of a queue that has limits. A claim held back by a limit or a throttle waits on
 *       the queue's wake-up condition and looks again after at most 250 ms (sooner when the rate
 *       window frees a slot); a finished job wakes claims held back by {@code maxRunning} at once.</li>
 *   <li>Cancelling a PROCESSING job ends its lease under the record's monitor, so the holder's
 *       late outcome finds a stale token; subscribers are told, as of every terminal transition.</li>
 *   <li>Schedules of a queue are a map sorted by id plus an index by fire time: {@code dueSchedules}
 *       reads only the due ones.</li>
 *   <li>{@code queueNames} looks at every queue store once; {@code finishedTotals} are counters
 *       of this process, starting at zero when the storage is created.</li>
 * </ul>
 *
 * <p>Concurrency: no storage-wide lock. Each transition locks only the record it changes (and
 * briefly one of 64 stripes of the queue's job table to find it); the ready jobs of a queue are a
 * heap behind a short per-queue lock, and idle claimers park on a condition of it until an
 * enqueue, a requeue or the next due time wakes them. A claim of many takes the ready heap's
 * lock once and {@code enqueueBatch} pushes to it once; each job is still counted and indexed
 * under its own record's lock, so whoever sees a job in a state also finds it in
 * {@code counts()} and {@code list()}.
 *
 * <p>Memory: a finished job is kept for its result TTL (default one hour), so under steady
 * traffic kept records are most of the heap and of the garbage collector's work. A kept record
 * holds no index entry object: about 130 bytes plus its id, payload (kept so that an operator
 * can list and retry it) and result (equal small results, such as {@code null}, are shared;
 * metadata is shared with the enqueued job), two slots of the job table and two of the expiry
 * index.
 */
public final class MemoryStorage implements Storage {
    private final Clock clock;
    private final ConcurrentHashMap<String, QueueStore> queues = new ConcurrentHashMap<>();
    /** Stands in for queues never written to; no operation routed to it adds anything. */
    private final QueueStore absent;
    private volatile boolean closed;
    private final BooleanSupplier isClosed = () -> closed;

    /** A storage on the system clock (UTC). */
    public MemoryStorage() {
        this(Clock.systemUTC());
    }

    /**
     * A storage whose delays, leases and TTLs follow {@code clock}.
     *
     * @param clock the time source, e.g. a test's controllable clock; not {@code null}
     */
    public MemoryStorage(Clock clock) {
        if (clock == null) {
            throw new IllegalArgumentException("clock must not be null");
        }
        this.clock = clock;
        this.absent = new QueueStore("(absent)", clock);
    }

    /** The queue's store, created on first use by an operation that adds something to it. */
    private QueueStore queue(String name) {
        QueueStore q = existing(name);
        return q != absent ? q : queues.computeIfAbsent(name, n -> new QueueStore(n, clock));
    }

    /**
     * The queue's store, or an always-empty one when the queue was never written to: reads and
     * fenced transitions on unknown queue names must not leave a store behind for each name.
     */
    private QueueStore existing(String name) {
        if (closed) {
            throw new IllegalStateException("MemoryStorage is closed");
        }
        return queues.getOrDefault(name, absent);
    }

    @Override
    public EnqueueOutcome enqueue(String queue, NewJob job) {
        return queue(queue).enqueue(job);
    }

    @Override
    public List<EnqueueOutcome> enqueueBatch(String queue, List<NewJob> jobs) {
        return queue(queue).enqueueBatch(jobs);
    }

    @Override
    public List<ClaimedJob> claim(String queue, String workerId, int max, Duration lease, Duration maxWait)
            throws InterruptedException {
        return queue(queue).claim(workerId, max, lease, maxWait, isClosed);
    }

    @Override
    public List<String> extend(String queue, List<LeaseRef> leases, Duration lease) {
        return existing(queue).extend(leases, lease);
    }

    @Override
    public TransitionOutcome complete(String queue, LeaseRef lease, byte[] result, Duration resultTtl) {
        return existing(queue).complete(lease, result, resultTtl);
    }

    /** Finds the queue once; each completion is then applied as by {@link #complete}. */
    @Override
    public List<TransitionOutcome> completeAll(String queue, List<Completion> completions) {
        return existing(queue).completeAll(completions);
    }

    @Override
    public TransitionOutcome fail(String queue, LeaseRef lease, JobError error, Duration resultTtl) {
        return existing(queue).fail(lease, error, resultTtl);
    }

    @Override
    public TransitionOutcome retry(String queue, LeaseRef lease, Duration backoff, JobError lastError) {
        return existing(queue).retry(lease, backoff, lastError);
    }

    @Override
    public TransitionOutcome release(String queue, LeaseRef lease) {
        return existing(queue).release(lease, false);
    }

    @Override
    public TransitionOutcome unclaim(String queue, LeaseRef lease) {
        return existing(queue).release(lease, true);
    }

    @Override
    public TransitionOutcome snooze(String queue, LeaseRef lease, Duration delay) {
        return existing(queue).snooze(lease, delay);
    }

    @Override
    public List<StalledJob> requeueExpired(String queue, int limit) {
        return existing(queue).requeueExpired(limit);
    }

    @Override
    public CancelResult cancel(String queue, String jobId) {
        return existing(queue).cancel(jobId);
    }

    @Override
    public Optional<JobSnapshot> status(String queue, String jobId) {
        return existing(queue).status(jobId);
    }

    @Override
    public TtlUpdateResult updateResultTtl(String queue, String jobId, Duration ttl) {
        return existing(queue).updateResultTtl(jobId, ttl);
    }

    @Override
    public Map<JobState, Long> counts(String queue) {
        return existing(queue).counts();
    }

    @Override
    public List<String> list(String queue, JobState state, int limit) {
        return existing(queue).list(state, limit);
    }

    @Override
    public SnapshotPage listJobs(String queue, JobState state, ListOrder order, String cursor, int limit) {
        return existing(queue).listJobs(state, order, cursor, limit);
    }

    @Override
    public RetryResult retryJob(String queue, String jobId) {
        return existing(queue).retryJob(jobId);
    }

    @Override
    public int retryAll(String queue, JobState state, int limit) {
        return existing(queue).retryAll(state, limit);
    }

    @Override
    public DeleteResult deleteJob(String queue, String jobId) {
        return existing(queue).deleteJob(jobId);
    }

    @Override
    public int purge(String queue, JobState state, int limit) {
        return existing(queue).purge(state, limit);
    }

    @Override
    public PromoteResult promote(String queue, String jobId) {
        return existing(queue).promote(jobId);
    }

    /** The flag lives with the queue's jobs, so it lasts as long as they do (this process). */
    @Override
    public boolean setPaused(String queue, boolean paused) {
        return queue(queue).setPaused(paused);
    }

    @Override
    public boolean isPaused(String queue) {
        return existing(queue).isPaused();
    }

    /** Kept with the queue's jobs, in this process only. */
    @Override
    public void setLimits(String queue, QueueLimits limits) {
        queue(queue).setLimits(limits);
    }

    @Override
    public QueueLimits limits(String queue) {
        return existing(queue).limits();
    }

    @Override
    public Instant throttle(String queue, Duration duration) {
        return queue(queue).throttle(duration);
    }

    @Override
    public ScheduleRecord upsertSchedule(String queue, String scheduleId, byte[] definition, Instant nextFireAt) {
        return queue(queue).upsertSchedule(scheduleId, definition, nextFireAt);
    }

    @Override
    public boolean removeSchedule(String queue, String scheduleId) {
        return existing(queue).removeSchedule(scheduleId);
    }

    @Override
    public List<ScheduleRecord> listSchedules(String queue) {
        return existing(queue).listSchedules();
    }

    @Override
    public List<ScheduleRecord> dueSchedules(String queue, int limit) {
        return existing(queue).dueSchedules(limit);
    }

    @Override
    public boolean advanceSchedule(String queue, String scheduleId, long expectedVersion, Instant nextFireAt) {
        return existing(queue).advanceSchedule(scheduleId, expectedVersion, nextFireAt);
    }

    /**
     * Every queue store with a live record or the pause flag: one pass over the stores (a queue
     * only subscribed to or locked has a store but is not listed); checking a store drops its
     * expired records first, as counts() does.
     */
    @Override
    public List<String> queueNames() {
        if (closed) {
            throw new IllegalStateException("MemoryStorage is closed");
        }
        TreeSet<String> names = new TreeSet<>();
        queues.forEach((name, q) -> {
            if (q.isPaused() || q.hasLiveRecords()) {
                names.add(name);
            }
        });
        return List.copyOf(names);
    }

    /** Counted in this process since the storage was created. */
    @Override
    public FinishedTotals finishedTotals(String queue) {
        return existing(queue).finishedTotals();
    }

    @Override
    public Subscription subscribe(String queue, TerminalListener listener) {
        return queue(queue).subscribe(listener);
    }

    @Override
    public boolean acquireLock(String queue, String lock, String owner, Duration ttl) {
        return queue(queue).acquireLock(lock, owner, ttl);
    }

    @Override
    public boolean renewLock(String queue, String lock, String owner, Duration ttl) {
        return existing(queue).renewLock(lock, owner, ttl);
    }

    @Override
    public boolean releaseLock(String queue, String lock, String owner) {
        return existing(queue).releaseLock(lock, owner);
    }

    /**
     * Diagnostics for tests of this package: records and index entries held for {@code queue}
     * (including expired or stale ones not dropped yet), to show that memory stays bounded.
     */
    int[] footprint(String queue) {
        QueueStore q = queue(queue);
        return new int[] {q.storedRecords(), q.indexEntries()};
    }

    /** Diagnostics for tests of this package: how many queue stores exist. */
    int queueCount() {
        return queues.size();
    }

    /** Ends waiting claims (they return empty) and rejects later calls. Closing twice is harmless. */
    @Override
    public void close() {
        closed = true;
        queues.values().forEach(QueueStore::wakeClaimers);
    }

    @Override
    public String toString() {
        return "MemoryStorage[queues=" + queues.size() + "]";
    }
}
