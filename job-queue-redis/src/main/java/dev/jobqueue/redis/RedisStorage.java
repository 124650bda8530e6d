package dev.jobqueue.redis;

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
import dev.jobqueue.spi.JobErrorCodec;
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
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.SslOptions;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * The storage for horizontally scaled services: many producer and worker processes on many hosts
 * share one Redis (standalone, Valkey, or Redis Cluster). Every transition is one Lua script; all
 * keys of a queue share one hash tag; deadlines come from the Redis server's clock.
 *
 * <!-- snippet: redis-storage -->
 * <pre>{@code
 * try (RedisStorage storage = RedisStorage.builder().uri("redis://app:secret@redis.internal:6379/0").build()) {
 *     Queue<Order, Receipt> orders = Queue.builder(storage, Order.class, Receipt.class).name("orders").build();
 *     // ...
 * }
 * // Redis Cluster: same class, same behaviour
 * RedisStorage clustered = RedisStorage.builder().cluster("10.0.0.1:7000", "10.0.0.2:7000").build();
 * }</pre>
 *
 * <p>Calls from many threads are pipelined automatically (see the module README); connection
 * loss is retried with backoff for {@link Builder#retryWindow}, idle claimers block on a wake
 * list, and terminal notifications use one pub/sub connection per storage.
 */
public final class RedisStorage implements Storage {
    private static final Logger LOG = LoggerFactory.getLogger(RedisStorage.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    /** The most jobs one retryAll or purge script run touches; a larger limit takes several runs. */
    static final int MAX_JOBS_PER_SCRIPT = 1000;
    /** The longest a claim held back by a queue limit waits before it re-checks (the SPI allows at most 250 ms). */
    static final long HOLD_RECHECK_MILLIS = 250;

    private final UnifiedJedis client;
    private final boolean ownsClient;
    private final String keyPrefix;
    private final Scripts scripts;
    private final ScriptExecutor executor;
    private final IdleClaimers idleClaimers;
    private final TerminalNotifier notifier;
    private final Map<String, KeySpace> keySpaces = new ConcurrentHashMap<>();
    private final QueueRegistryScript registry;
    /** Queue names this instance has added to the registry: each costs one SADD per instance, once. */
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    /**
     * Per queue (key base), the claimers of this process held back by maxRunning right now: a job
     * of the queue finishing here wakes one of them at once (no Redis command); a job finishing in
     * another process is noticed by their re-check timer.
     */
    private final Map<String, AtomicInteger> heldByMaxRunning = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private RedisStorage(Builder b, UnifiedJedis client, boolean ownsClient, String target) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.keyPrefix = b.keyPrefix;
        // Marks the jobs this instance waits for (enqueued with notifyOnTerminal). When this instance
        // also finishes such a job and no other instance waits for it, the script publishes nothing
        // and this instance tells its own listeners (see make_terminal in prelude.lua).
        byte[] notifyTag = ScriptArgs.utf8("i" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        this.scripts = new Scripts(new ScriptArgs(b.clock), notifyTag);
        this.registry = new QueueRegistryScript(LuaScript.resource("prelude.lua"), keyPrefix);
        ThreadFactory threads = daemonThreads("jq-redis-" + INSTANCES.incrementAndGet());
        this.executor = new ScriptExecutor(client, target, b.pipelineConnections, b.retryWindow, threads);
        this.idleClaimers = new IdleClaimers(client, threads);
        this.notifier = new TerminalNotifier(client, threads, KeySpace.bytes(keyPrefix + ":pubsub-anchor"));
    }

    /**
     * Starts building a storage; set exactly one connection source on the builder.
     *
     * @return a new builder holding the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    // ---- enqueue ------------------------------------------------------------------------------

    @Override
    public EnqueueOutcome enqueue(String queue, NewJob job) {
        return enqueueBatch(queue, List.of(job)).get(0);
    }

    /**
     * Sent by the executor's flusher thread with the other async calls pending, in issue order:
     * one producer thread with many enqueues in flight gets them sent in few round trips and
     * merged into few script runs. A job ready at once may go straight to an idle claimer of
     * this process, as in {@link #enqueueBatch}.
     */
    @Override
    public CompletableFuture<EnqueueOutcome> enqueueAsync(String queue, NewJob job) {
        KeySpace keys = keys(queue);
        ScriptCall registration = registration(queue);
        boolean ready = readyAtOnce(job);
        IdleClaimers.Waiter waiter = ready ? idleClaimers.reserve(keys) : null;
        ScriptCall call;
        try {
            call = scripts.enqueue.calls(keys, List.of(job), waiter == null ? ScriptArgs.ZERO : waiter.request.max()).get(0);
        } catch (RuntimeException e) {
            if (waiter != null) {
                idleClaimers.deliver(waiter, null);
            }
            throw e;
        }
        List<ScriptCall> calls = new ArrayList<>(3);
        if (registration != null) {
            calls.add(registration); // sent just before the enqueue: an async enqueue never waits for it
        }
        calls.add(call);
        if (waiter != null) {
            ScriptCall handoff = scripts.claim.call(keys, waiter.request);
            handoff.reply().whenComplete((reply, error) -> idleClaimers.deliver(waiter, error == null ? reply : null));
            calls.add(handoff);
        }
        executor.submitAsync(calls);
        return call.reply().thenApply(reply -> {
            EnqueueOutcome outcome = EnqueueScript.outcomes(List.of(job), List.of(reply)).get(0);
            if (waiter == null && outcome.created() && ready) {
                idleClaimers.wakeAnother(keys);
            }
            return outcome;
        });
    }

    @Override
    public List<EnqueueOutcome> enqueueBatch(String queue, List<NewJob> jobs) {
        KeySpace keys = keys(queue);
        register(queue);
        // A job ready at once can go straight to an idle claimer of this process: its claim rides in
        // the same pipeline, right after the enqueue (Redis runs them in order). The enqueue then
        // withholds the wake tokens of the jobs that claim takes (they would only wake our own
        // wake listener for nothing).
        boolean anyReady = jobs.stream().anyMatch(RedisStorage::readyAtOnce);
        IdleClaimers.Waiter waiter = anyReady ? idleClaimers.reserve(keys) : null;
        ScriptCall handoff = null;
        List<ScriptCall> calls;
        List<Object> replies;
        try {
            calls = scripts.enqueue.calls(keys, jobs, waiter == null ? ScriptArgs.ZERO : waiter.request.max());
            if (waiter != null) {
                handoff = scripts.claim.call(keys, waiter.request);
                List<ScriptCall> all = new ArrayList<>(calls);
                all.add(handoff);
                executor.submit(all);
            } else {
                executor.submit(calls);
            }
            replies = new ArrayList<>(calls.size());
            for (ScriptCall c : calls) {
                replies.add(c.await());
            }
        } finally {
            if (waiter != null) {
                idleClaimers.deliver(waiter, handoff == null ? null : handoff.awaitQuietly());
            }
        }
        List<EnqueueOutcome> outcomes = EnqueueScript.outcomes(jobs, replies);
        boolean createdReady = false;
        for (int i = 0; i < jobs.size(); i++) {
            createdReady |= outcomes.get(i).created() && readyAtOnce(jobs.get(i));
        }
        if (createdReady && waiter == null) {
            // an idle claimer in this process need not wait for its BLPOP to see the wake token
            idleClaimers.wakeAnother(keys);
        }
        return outcomes;
    }

    /** Whether the job is QUEUED on enqueue (no delay, no run-at), so an idle claimer can take it at once. */
    private static boolean readyAtOnce(NewJob job) {
        return job.runAt() == null && job.delay().isZero();
    }

    // ---- claim and the worker's transitions ----------------------------------------------------

    @Override
    public List<ClaimedJob> claim(String queue, String workerId, int max, Duration lease, Duration maxWait)
            throws InterruptedException {
        KeySpace keys = keys(queue);
        IdleClaimers.ClaimRequest request = new IdleClaimers.ClaimRequest(ScriptArgs.utf8(workerId), ScriptArgs.ascii(max),
                ScriptArgs.positiveMillis(lease));
        long waitUntil = System.nanoTime() + Math.max(0, maxWait.toNanos());
        long resumeMark = idleClaimers.resumeMark(keys);
        Object reply = claimOnce(queue, keys, request);
        while (true) {
            ClaimScript.Claimed claimed = ClaimScript.decode(reply);
            List<ClaimedJob> jobs = claimed.jobs();
            if (!jobs.isEmpty()) {
                if (jobs.size() == max) {
                    idleClaimers.wakeAnother(keys);
                }
                return jobs;
            }
            long leftMillis = (waitUntil - System.nanoTime()) / 1_000_000L;
            if (leftMillis <= 0 || closed) {
                return jobs;
            }
            if (claimed.paused()) {
                // only a resume ends this wait (enqueues would only find the queue paused again)
                if (!idleClaimers.awaitResume(keys, resumeMark, leftMillis)) {
                    return jobs;
                }
                resumeMark = idleClaimers.resumeMark(keys);
                reply = claimOnce(queue, keys, request);
                continue;
            }
            if (claimed.hold() == ClaimScript.Hold.THROTTLE) {
                // waits out the throttle like a pause (enqueues would only find it throttled again),
                // then claims without being woken; re-checks at least every 250 ms (with an injected
                // clock the end may come sooner than the server's ms say); a resume ends the wait early, harmlessly
                idleClaimers.awaitResume(keys, resumeMark,
                        Math.min(leftMillis, Math.min(claimed.holdMillis() + 1, HOLD_RECHECK_MILLIS)));
                resumeMark = idleClaimers.resumeMark(keys);
                reply = claimOnce(queue, keys, request);
                continue;
            }
            Object handed;
            if (claimed.hold() != ClaimScript.Hold.NONE) {
                // held back by a limit: wake tokens and this process's finishing jobs end the wait early,
                // a short timer at the latest (a job finishing in another process wakes nobody here)
                long holdMillis = claimed.hold() == ClaimScript.Hold.RATE ? claimed.holdMillis() + 1 : HOLD_RECHECK_MILLIS;
                long waitMillis = Math.min(leftMillis, Math.max(1, Math.min(holdMillis, HOLD_RECHECK_MILLIS)));
                AtomicInteger held = claimed.hold() == ClaimScript.Hold.MAX_RUNNING
                        ? heldByMaxRunning.computeIfAbsent(keys.base(), b -> new AtomicInteger()) : null;
                if (held != null) {
                    held.incrementAndGet();
                }
                try {
                    handed = idleClaimers.await(keys, request, waitMillis);
                } finally {
                    if (held != null) {
                        held.decrementAndGet();
                    }
                }
            } else {
                long nextDue = claimed.msUntilNextDue();
                long waitMillis = nextDue >= 0 ? Math.min(leftMillis, nextDue + 1) : leftMillis;
                handed = idleClaimers.await(keys, request, waitMillis);
            }
            // an enqueue of this process may have claimed for us; if that found nothing (a duplicate, or
            // its wake tokens withheld for us), or we were woken or timed out, claim again
            reply = handed != null && handed != IdleClaimers.WOKEN && ClaimScript.tookJobs(handed)
                    ? handed : claimOnce(queue, keys, request);
        }
    }

    /**
     * One claim script run, whose wait ends when the thread is interrupted (a stopping worker must
     * not wait out an outage). The script may still run after that: whatever it claims is handed
     * back at once when its reply arrives, so a stopped worker leaves nothing PROCESSING.
     */
    private Object claimOnce(String queue, KeySpace keys, IdleClaimers.ClaimRequest request) throws InterruptedException {
        ScriptCall call = scripts.claim.call(keys, request);
        try {
            return executor.executeInterruptibly(call);
        } catch (InterruptedException e) {
            call.reply().thenAcceptAsync(reply -> handBack(queue, ClaimScript.decode(reply).jobs())); // off the flusher thread: unclaim waits for a flush
            throw e;
        }
    }

    private void handBack(String queue, List<ClaimedJob> jobs) {
        for (ClaimedJob job : jobs) {
            try {
                unclaim(queue, new LeaseRef(job.id(), job.fencingToken()));
            } catch (RuntimeException e) {
                LOG.warn("could not hand back job {} of queue {} claimed by an interrupted claim; it returns when its lease ends",
                        job.id(), queue, e);
            }
        }
    }

    @Override
    public List<String> extend(String queue, List<LeaseRef> leases, Duration lease) {
        if (leases.isEmpty()) {
            return List.of();
        }
        return ExtendScript.lost(leases, executor.execute(scripts.extend.call(keys(queue), leases, lease)));
    }

    /**
     * A job of the queue left PROCESSING here: one of this process's claimers held back by
     * maxRunning (if any) may take its place at once. Costs nothing when none is held.
     */
    private void freedSlot(KeySpace keys) {
        AtomicInteger held = heldByMaxRunning.get(keys.base());
        if (held != null && held.get() > 0) {
            idleClaimers.wakeAnother(keys);
        }
    }

    /**
     * PROCESSING to DELAYED with the attempt taken back: one fenced, resend-safe script run
     * (snooze.lua), batchable with concurrent snoozes of the queue like the other worker transitions.
     */
    @Override
    public TransitionOutcome snooze(String queue, LeaseRef lease, Duration delay) {
        KeySpace keys = keys(queue);
        TransitionOutcome outcome = FencedItem.outcome(executor.execute(scripts.snooze.call(keys, lease, delay)));
        if (outcome == TransitionOutcome.APPLIED) {
            freedSlot(keys);
        }
        return outcome;
    }

    @Override
    public TransitionOutcome complete(String queue, LeaseRef lease, byte[] result, Duration resultTtl) {
        return finish(queue, scripts.complete, lease, result, resultTtl);
    }

    @Override
    public TransitionOutcome fail(String queue, LeaseRef lease, JobError error, Duration resultTtl) {
        return finish(queue, scripts.fail, lease, JobErrorCodec.encode(error), resultTtl);
    }

    @Override
    public TransitionOutcome retry(String queue, LeaseRef lease, Duration backoff, JobError lastError) {
        KeySpace keys = keys(queue);
        TransitionOutcome outcome = FencedItem.outcome(executor.execute(scripts.retry.call(keys, lease, backoff, lastError)));
        if (outcome == TransitionOutcome.APPLIED) {
            freedSlot(keys);
        }
        return outcome;
    }

    @Override
    public TransitionOutcome release(String queue, LeaseRef lease) {
        return release(queue, lease, false);
    }

    @Override
    public TransitionOutcome unclaim(String queue, LeaseRef lease) {
        return release(queue, lease, true);
    }

    private TransitionOutcome release(String queue, LeaseRef lease, boolean unstarted) {
        KeySpace keys = keys(queue);
        TransitionOutcome outcome = FencedItem.outcome(executor.execute(scripts.release.call(keys, lease, unstarted)));
        if (outcome == TransitionOutcome.APPLIED) {
            idleClaimers.wakeAnother(keys);
        }
        return outcome;
    }

    /**
     * All completions as batchable calls submitted together: the executor sends them in one
     * pipeline flush and merges them into one EVALSHA per 256 (see ScriptExecutor), so a batch
     * costs one round trip and few script runs. Each completion keeps its own nonce, so a resend
     * after a lost reply reports APPLIED for exactly the completions that applied, and the same
     * claim twice in one batch applies once.
     */
    @Override
    public List<TransitionOutcome> completeAll(String queue, List<Completion> completions) {
        if (completions.isEmpty()) {
            return List.of();
        }
        KeySpace keys = keys(queue);
        List<ScriptCall> calls = new ArrayList<>(completions.size());
        for (Completion c : completions) {
            calls.add(scripts.complete.call(keys, c.lease(), c.result(), c.resultTtl()));
        }
        List<Object> replies = executor.executeAll(calls);
        List<TransitionOutcome> outcomes = new ArrayList<>(replies.size());
        for (int i = 0; i < replies.size(); i++) {
            outcomes.add(finished(keys, completions.get(i).lease().jobId(), replies.get(i)));
        }
        if (outcomes.contains(TransitionOutcome.APPLIED)) {
            freedSlot(keys);
        }
        return outcomes;
    }

    private TransitionOutcome finish(String queue, FinishScript script, LeaseRef lease, byte[] value, Duration resultTtl) {
        Objects.requireNonNull(lease, "lease");
        KeySpace keys = keys(queue);
        TransitionOutcome outcome = finished(keys, lease.jobId(), executor.execute(script.call(keys, lease, value, resultTtl)));
        if (outcome == TransitionOutcome.APPLIED) {
            freedSlot(keys);
        }
        return outcome;
    }

    private TransitionOutcome finished(KeySpace keys, String jobId, Object reply) {
        FinishScript.Finished finished = FinishScript.decode(jobId, reply);
        if (finished.localSnapshot() != null) {
            notifier.deliverLocally(keys.channel(), finished.localSnapshot());
        }
        return finished.outcome();
    }

    @Override
    public List<StalledJob> requeueExpired(String queue, int limit) {
        return RequeueExpiredScript.decode(executor.execute(scripts.requeueExpired.call(keys(queue), limit)));
    }

    // ---- inspection and control ----------------------------------------------------------------

    /**
     * One script run. A PROCESSING job is cancelled too: its token is replaced (every late call of
     * its worker is LEASE_LOST), it leaves the lease index, and its CANCELLED notice is always
     * published (the worker running it listens, in whatever process).
     */
    @Override
    public CancelResult cancel(String queue, String jobId) {
        KeySpace keys = keys(queue);
        CancelResult result = CancelScript.decode(executor.execute(scripts.cancel.call(keys, jobId)));
        if (result == CancelResult.CANCELLED) {
            freedSlot(keys); // the job may have been running
        }
        return result;
    }

    @Override
    public Optional<JobSnapshot> status(String queue, String jobId) {
        return StatusScript.decode(jobId, executor.execute(scripts.status.call(keys(queue), jobId)));
    }

    @Override
    public TtlUpdateResult updateResultTtl(String queue, String jobId, Duration ttl) {
        return UpdateTtlScript.decode(executor.execute(scripts.updateTtl.call(keys(queue), jobId, ttl)));
    }

    @Override
    public Map<JobState, Long> counts(String queue) {
        return CountsScript.decode(executor.execute(scripts.counts.call(keys(queue))));
    }

    @Override
    public List<String> list(String queue, JobState state, int limit) {
        Objects.requireNonNull(state, "state");
        return ListScript.decode(executor.execute(scripts.list.call(keys(queue), state, limit)));
    }

    /**
     * One script run per {@value ListJobsScript#MAX_JOBS_PER_CALL} jobs of the page (one for any
     * usual limit): O(log N + limit) in Redis however many jobs the state holds or share a score.
     */
    @Override
    public SnapshotPage listJobs(String queue, JobState state, ListOrder order, String cursor, int limit) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(order, "order");
        ListJobsScript.Cursor position = cursor == null ? null : ListJobsScript.Cursor.decode(cursor, state, order);
        KeySpace keys = keys(queue);
        List<JobSnapshot> jobs = new ArrayList<>();
        while (true) {
            int chunk = Math.min(limit - jobs.size(), ListJobsScript.MAX_JOBS_PER_CALL);
            ListJobsScript.Page page = ListJobsScript.decode(
                    executor.execute(scripts.listJobs.call(keys, state, order, position, chunk)), state, order);
            jobs.addAll(page.jobs());
            position = page.next();
            if (position == null || jobs.size() >= limit) {
                return new ListJobsScript.Page(jobs, position).toSnapshotPage();
            }
        }
    }

    @Override
    public RetryResult retryJob(String queue, String jobId) {
        KeySpace keys = keys(queue);
        RetryResult result = RetryResult.valueOf(Replies.text(executor.execute(scripts.retryJob.one(keys, jobId))));
        if (result == RetryResult.RETRIED) {
            idleClaimers.wakeAnother(keys);
        }
        return result;
    }

    /** One script run per {@value #MAX_JOBS_PER_SCRIPT} jobs: no run touches more. */
    @Override
    public int retryAll(String queue, JobState state, int limit) {
        KeySpace keys = keys(queue);
        int retried = inRuns(limit, n -> (int) Replies.number(executor.execute(scripts.retryJob.oldest(keys, state, n))));
        if (retried > 0) {
            idleClaimers.wakeAnother(keys);
        }
        return retried;
    }

    @Override
    public DeleteResult deleteJob(String queue, String jobId) {
        return DeleteResult.valueOf(Replies.text(executor.execute(scripts.delete.one(keys(queue), jobId))));
    }

    /** One script run per {@value #MAX_JOBS_PER_SCRIPT} jobs: no run touches more. */
    @Override
    public int purge(String queue, JobState state, int limit) {
        KeySpace keys = keys(queue);
        return inRuns(limit, n -> (int) Replies.number(executor.execute(scripts.delete.oldest(keys, state, n))));
    }

    /** Script runs of at most {@value #MAX_JOBS_PER_SCRIPT} jobs each until {@code limit} or a short run; the total. */
    private static int inRuns(int limit, java.util.function.IntUnaryOperator run) {
        int done = 0;
        while (done < limit) {
            int n = Math.min(limit - done, MAX_JOBS_PER_SCRIPT);
            int ran = run.applyAsInt(n);
            done += ran;
            if (ran < n) {
                break;
            }
        }
        return done;
    }

    @Override
    public PromoteResult promote(String queue, String jobId) {
        KeySpace keys = keys(queue);
        PromoteResult result = PromoteScript.decode(executor.execute(scripts.promote.call(keys, jobId)));
        if (result == PromoteResult.PROMOTED) {
            idleClaimers.wakeAnother(keys);
        }
        return result;
    }

    /**
     * The flag is a key in the queue's slot, so it is as durable as the jobs and shared by every
     * process; a resume pushes resume tokens that wake the claimers waiting out the pause in every
     * process (see IdleClaimers).
     */
    @Override
    public boolean setPaused(String queue, boolean paused) {
        KeySpace keys = keys(queue);
        if (paused) {
            register(queue);
        }
        boolean changed = PauseScript.decode(executor.execute(scripts.pause.set(keys, paused)));
        if (!paused) {
            idleClaimers.resumed(keys); // this process's waiters need not wait for their listener's BLPOP
        }
        return changed;
    }

    @Override
    public boolean isPaused(String queue) {
        return PauseScript.decode(executor.execute(scripts.pause.read(keys(queue))));
    }

    /**
     * The limits are a string key in the queue's slot that claim.lua reads in the MGET it sends
     * anyway (a queue without limits pays no command for them); the rate log is a sorted set of
     * claim times (Redis TIME) beside it. Raising or removing a limit wakes this process's held
     * claimers; other processes' re-check within 250 ms.
     */
    @Override
    public void setLimits(String queue, QueueLimits limits) {
        Objects.requireNonNull(limits, "limits");
        KeySpace keys = keys(queue);
        executor.execute(scripts.limits.set(keys, limits));
        freedSlot(keys);
    }

    @Override
    public QueueLimits limits(String queue) {
        return LimitsScript.decode(executor.execute(scripts.limits.get(keys(queue))));
    }

    /** One script run; the end is a string key with a PX expiry that claim.lua reads in its MGET. */
    @Override
    public Instant throttle(String queue, Duration duration) {
        Objects.requireNonNull(duration, "duration");
        return ThrottleScript.decode(executor.execute(scripts.throttle.call(keys(queue), duration)));
    }

    // ---- recurring schedules -------------------------------------------------------------------

    /**
     * Schedules live in two hashes of the queue (definitions; version, next fire time and the
     * last advance's nonce) and a sorted set by next fire time, all under the queue's hash tag.
     * One script run each.
     */
    @Override
    public ScheduleRecord upsertSchedule(String queue, String scheduleId, byte[] definition, Instant nextFireAt) {
        Objects.requireNonNull(definition, "definition");
        byte[] copy = definition.clone();
        return ScheduleScripts.decodeUpsert(scheduleId, copy,
                executor.execute(scripts.schedules.upsert(keys(queue), scheduleId, copy, nextFireAt)));
    }

    @Override
    public boolean removeSchedule(String queue, String scheduleId) {
        return ScheduleScripts.decodeFlag(executor.execute(scripts.schedules.remove(keys(queue), scheduleId)));
    }

    @Override
    public List<ScheduleRecord> listSchedules(String queue) {
        return ScheduleScripts.decodeRead(executor.execute(scripts.schedules.list(keys(queue))), true);
    }

    /** One script run; when nothing is due it costs one ZRANGEBYSCORE (and TIME) in Redis. */
    @Override
    public List<ScheduleRecord> dueSchedules(String queue, int limit) {
        return ScheduleScripts.decodeRead(executor.execute(scripts.schedules.due(keys(queue), limit)), false);
    }

    @Override
    public boolean advanceSchedule(String queue, String scheduleId, long expectedVersion, Instant nextFireAt) {
        return ScheduleScripts.decodeFlag(
                executor.execute(scripts.schedules.advance(keys(queue), scheduleId, expectedVersion, nextFireAt)));
    }

    /**
     * The registry's names (one SMEMBERS), each checked for a live job or the pause flag by one
     * script run (an EXISTS and at most three ZCOUNTs), all in one pipeline: two round trips and
     * 1 + R script runs for R registered names, however many jobs the queues hold; no SCAN. The
     * registry keeps a name whose queue emptied (another instance may still hold it as
     * registered, so removing it could lose a queue that gets a job again); such names cost
     * their check and are left out.
     */
    @Override
    public List<String> queueNames() {
        List<String> names = QueueRegistryScript.decodeMembers(executor.execute(registry.members()));
        List<ScriptCall> checks = new ArrayList<>(names.size());
        for (String name : names) {
            checks.add(scripts.queueInfo.live(keys(name)));
        }
        List<Object> replies = checks.isEmpty() ? List.of() : executor.executeAll(checks);
        TreeSet<String> live = new TreeSet<>();
        for (int i = 0; i < names.size(); i++) {
            if (QueueInfoScript.decodeLive(replies.get(i))) {
                live.add(names.get(i));
            }
        }
        return List.copyOf(live);
    }

    /**
     * One script run (an HMGET of the queue's totals hash). The complete, fail and requeueExpired
     * scripts keep the hash: one HINCRBY per state per script run, inside the run, so finishing
     * jobs costs no extra round trip.
     */
    @Override
    public FinishedTotals finishedTotals(String queue) {
        return QueueInfoScript.decodeTotals(executor.execute(scripts.queueInfo.totals(keys(queue))));
    }

    /**
     * Adds the queue to the registry the first time this instance enqueues to it (enqueue,
     * enqueueBatch) or pauses it, before the job or flag is written: so a queue with a job is never
     * missing from the registry. Later calls pay a set lookup. ({@code enqueueAsync} sends the same
     * call in its pipeline instead, see {@link #registration}.)
     */
    private void register(String queue) {
        if (!registered.contains(queue)) {
            executor.execute(registry.add(queue));
            registered.add(queue);
        }
    }

    /**
     * For {@code enqueueAsync}: the registry call to send in the same pipeline, just before the
     * enqueue, or {@code null} when this instance registered the queue already. The name counts as
     * registered once Redis answered; if the call fails, the next enqueue sends it again.
     */
    private ScriptCall registration(String queue) {
        if (registered.contains(queue)) {
            return null;
        }
        ScriptCall call = registry.add(queue);
        call.reply().thenRun(() -> registered.add(queue));
        return call;
    }

    @Override
    public Subscription subscribe(String queue, TerminalListener listener) {
        Objects.requireNonNull(listener, "listener");
        return notifier.subscribe(keys(queue).channel(), listener);
    }

    // ---- leader lock ---------------------------------------------------------------------------

    @Override
    public boolean acquireLock(String queue, String lock, String owner, Duration ttl) {
        return lockCall(queue, scripts.lockAcquire, lock, owner, ttl);
    }

    @Override
    public boolean renewLock(String queue, String lock, String owner, Duration ttl) {
        return lockCall(queue, scripts.lockRenew, lock, owner, ttl);
    }

    @Override
    public boolean releaseLock(String queue, String lock, String owner) {
        return lockCall(queue, scripts.lockRelease, lock, owner, null);
    }

    private boolean lockCall(String queue, LockScript script, String lock, String owner, Duration ttl) {
        Objects.requireNonNull(lock, "lock");
        Objects.requireNonNull(owner, "owner");
        return LockScript.decode(executor.execute(script.call(keys(queue), lock, owner, ttl)));
    }

    @Override
    public void close() {
        closed = true;
        executor.close();
        idleClaimers.close();
        notifier.close();
        if (ownsClient) {
            client.close();
        }
    }

    /** Claimers of the queue blocked in {@link #claim} in this process right now; for tests. */
    int idleClaimers(String queue) {
        return idleClaimers.waiting(keys(queue));
    }

    /**
     * The key prefix this storage writes under.
     *
     * @return the prefix every key of this storage starts with
     */
    public String keyPrefix() {
        return keyPrefix;
    }

    private KeySpace keys(String queue) {
        if (closed) {
            throw new IllegalStateException("RedisStorage is closed");
        }
        return keySpaces.computeIfAbsent(queue, q -> new KeySpace(keyPrefix, q));
    }

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Builds a {@link RedisStorage}. Pick one connection source: {@link #uri}, {@link #hostAndPort},
     * {@link #cluster}, or {@link #client} (a client the application already has; it is not closed
     * by the storage).
     *
     * <!-- snippet: redis-storage-builder -->
     * <pre>{@code
     * RedisStorage storage = RedisStorage.builder()
     *         .uri(System.getenv("REDIS_URL"))     // redis://user:pass@host:6379/0, rediss:// for TLS
     *         .keyPrefix("billing-jq")
     *         .build();
     * }</pre>
     */
    public static final class Builder {
        private URI uri;
        private HostAndPort hostAndPort;
        private Set<HostAndPort> clusterNodes;
        private UnifiedJedis client;
        private String keyPrefix = "jq";
        private Clock clock;
        private Duration retryWindow = Duration.ofSeconds(30);
        private int pipelineConnections = 2;
        private int poolSize = 32;
        private SslOptions tls;

        private Builder() {
        }

        /**
         * {@code redis://[user:password@]host:port[/db]}, or {@code rediss://...} for TLS. A bare
         * {@code host:port} has no scheme: use {@link #hostAndPort(String, int)} for it.
         *
         * @param uri where Redis is, with optional credentials and database; exception messages
         *            leave it out, as it may hold a password
         * @return this builder
         */
        public Builder uri(String uri) {
            require(uri != null, "uri must not be null");
            URI parsed;
            try {
                parsed = URI.create(uri);
            } catch (IllegalArgumentException e) {
                // the message leaves the URI out: it may hold a password
                throw new IllegalArgumentException("uri is not a valid URI: expected redis://[user:password@]host:port[/db]"
                        + " or rediss://... for TLS; for host:port without a scheme use hostAndPort(host, port)", e);
            }
            String scheme = parsed.getScheme();
            if (scheme == null || parsed.getHost() == null
                    || !(scheme.equalsIgnoreCase("redis") || scheme.equalsIgnoreCase("rediss"))) {
                throw new IllegalArgumentException("uri must look like redis://[user:password@]host:port[/db], or"
                        + " rediss://... for TLS" + (scheme == null ? "" : " (got scheme '" + scheme + "')")
                        + "; for host:port without a scheme use hostAndPort(host, port)");
            }
            if (!JedisURIHelper.isValid(parsed)) {
                throw new IllegalArgumentException("uri must look like redis://[user:password@]host:port[/db] or rediss://...");
            }
            this.uri = parsed;
            return this;
        }

        /**
         * A standalone Redis at {@code host:port} (no credentials, database 0; use {@link #uri} for those).
         *
         * @param host the server's host name or address; not blank
         * @param port the server's port, 1..65535
         * @return this builder
         */
        public Builder hostAndPort(String host, int port) {
            require(host != null && !host.isBlank(), "host must not be null or blank");
            require(port > 0 && port <= 65535, "port must be 1..65535, got " + port);
            this.hostAndPort = new HostAndPort(host, port);
            return this;
        }

        /**
         * Redis Cluster seed nodes as {@code host:port}; the cluster's topology is discovered from them.
         *
         * @param hostPorts at least one node, each written {@code host:port}
         * @return this builder
         */
        public Builder cluster(String... hostPorts) {
            require(hostPorts != null && hostPorts.length > 0, "cluster needs at least one host:port");
            Set<HostAndPort> nodes = new java.util.LinkedHashSet<>();
            for (String hp : hostPorts) {
                require(hp != null, "cluster must not contain null");
                try {
                    nodes.add(HostAndPort.from(hp));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("cluster node must be host:port, got '" + hp + "'", e);
                }
            }
            this.clusterNodes = nodes;
            return this;
        }

        /**
         * A client the application owns ({@code JedisPooled}, {@code JedisCluster}, ...); not closed by the storage.
         *
         * @param client the client to send every command through; {@link #poolSize} and {@link #tls}
         *               do not apply to it
         * @return this builder
         */
        public Builder client(UnifiedJedis client) {
            require(client != null, "client must not be null");
            this.client = client;
            return this;
        }

        /**
         * First part of every key (default {@code jq}); different applications on one Redis use different prefixes.
         *
         * @param keyPrefix non-empty, without {@code '{'} or {@code '}'} (those delimit Redis Cluster hash tags)
         * @return this builder
         */
        public Builder keyPrefix(String keyPrefix) {
            require(keyPrefix != null, "keyPrefix must not be null");
            require(!keyPrefix.isEmpty() && !keyPrefix.contains("{") && !keyPrefix.contains("}"),
                    "keyPrefix must be non-empty and free of '{' and '}', got '" + keyPrefix + "'");
            this.keyPrefix = keyPrefix;
            return this;
        }

        /**
         * Testing aid: take "now" from this clock (sent with every script call) instead of the Redis
         * server's {@code TIME}. Then expiry is decided by the clock (keys still get a generous
         * physical expiry). Production code leaves this unset, so that hosts with skewed clocks
         * agree on every deadline.
         *
         * @param clock the clock that replaces the server's {@code TIME}
         * @return this builder
         */
        public Builder clock(Clock clock) {
            require(clock != null, "clock must not be null");
            this.clock = clock;
            return this;
        }

        /**
         * TLS settings (trust store for a private CA, client certificate, verify mode), e.g.
         * {@code SslOptions.builder().truststore(new File("ca.p12"), pass).build()}. Setting them
         * turns TLS on; {@code rediss://} alone uses the JVM's default trust store.
         *
         * @param tls the TLS settings of the client the storage creates
         * @return this builder
         */
        public Builder tls(SslOptions tls) {
            require(tls != null, "tls must not be null");
            this.tls = tls;
            return this;
        }

        /**
         * How long an operation keeps retrying while Redis is unreachable or failing over (default
         * 30 s; a warning naming host:port is logged when retries start). Errors that retrying
         * cannot fix (credentials, a database index the server lacks) fail at once. Callers of
         * enqueueAndWait/submit are bounded by their own timeout, not by this window.
         *
         * @param retryWindow how long to retry; 0 (no retries) to 1 day
         * @return this builder
         */
        public Builder retryWindow(Duration retryWindow) {
            require(retryWindow != null && !retryWindow.isNegative(), "retryWindow must be >= 0, got " + retryWindow);
            require(retryWindow.compareTo(Duration.ofDays(1)) <= 0, "retryWindow must be at most 1 day, got " + retryWindow);
            this.retryWindow = retryWindow;
            return this;
        }

        /**
         * How many pipeline flushes may be in flight at once (default 2: one on the wire while the next fills).
         *
         * @param n the number of concurrent flushes; &gt;= 1
         * @return this builder
         */
        public Builder pipelineConnections(int n) {
            require(n >= 1, "pipelineConnections must be >= 1, got " + n);
            this.pipelineConnections = n;
            return this;
        }

        /**
         * Connection pool size when the storage creates the client (default 32); unused with {@link #client}.
         *
         * @param n the maximum number of pooled connections; &gt;= 2
         * @return this builder
         */
        public Builder poolSize(int n) {
            require(n >= 2, "poolSize must be >= 2, got " + n);
            this.poolSize = n;
            return this;
        }

        private static void require(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException(message);
            }
        }

        /**
         * Connects and checks the credentials. A Redis that is not reachable yet is not an error: a
         * warning is logged and each operation retries within the {@link #retryWindow}.
         *
         * @return the storage, to be closed when no longer used (which closes the client only if
         *         the storage created it)
         * @throws RedisStorageException when Redis rejects the credentials or the TLS handshake fails
         * @throws IllegalArgumentException when not exactly one connection source is set
         */
        public RedisStorage build() {
            int sources = (uri != null ? 1 : 0) + (hostAndPort != null ? 1 : 0) + (clusterNodes != null ? 1 : 0)
                    + (client != null ? 1 : 0);
            if (sources != 1) {
                throw new IllegalArgumentException("set exactly one of uri, hostAndPort, cluster or client (got " + sources
                        + "), e.g. RedisStorage.builder().uri(\"redis://127.0.0.1:6379\")");
            }
            boolean owns = client == null;
            UnifiedJedis c = owns ? createClient() : client;
            String target = target();
            RedisStorage storage = new RedisStorage(this, c, owns, target);
            try {
                c.ping();
            } catch (JedisException e) {
                if (RedisErrors.isConfigurationError(e)) {
                    storage.close();
                    throw RedisErrors.configurationError(e);
                }
                if (RedisErrors.isTlsFailure(e)) {
                    storage.close();
                    throw new RedisStorageException("TLS handshake with Redis failed (" + e.getMessage()
                            + "): check that the server speaks TLS and that the trust store (Builder.tls) holds its CA", e);
                }
                LOG.warn("Redis at {} is not reachable yet ({}); each operation retries for up to {} (retryWindow)",
                        target, e.getMessage(), retryWindow);
            }
            return storage;
        }

        /** Where Redis is, for messages: host:port (never the URI, which may hold a password). */
        private String target() {
            if (clusterNodes != null) {
                return "cluster " + clusterNodes;
            }
            if (client != null) {
                return "the application's client";
            }
            return String.valueOf(hostAndPort != null ? hostAndPort : JedisURIHelper.getHostAndPort(uri));
        }

        private UnifiedJedis createClient() {
            return clusterNodes != null
                    ? RedisClients.cluster(clusterNodes, poolSize, tls)
                    : RedisClients.standalone(hostAndPort != null ? hostAndPort : JedisURIHelper.getHostAndPort(uri), uri,
                            poolSize, tls);
        }
    }
}
