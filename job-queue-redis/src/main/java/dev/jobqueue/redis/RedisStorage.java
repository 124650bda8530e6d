package dev.jobqueue.redis;

import dev.jobqueue.CancelResult;
import dev.jobqueue.JobError;
import dev.jobqueue.JobState;
import dev.jobqueue.TtlUpdateResult;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.Completion;
import dev.jobqueue.spi.EnqueueOutcome;
import dev.jobqueue.spi.JobErrorCodec;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.NewJob;
import dev.jobqueue.spi.StalledJob;
import dev.jobqueue.spi.Storage;
import dev.jobqueue.spi.StorageArguments;
import dev.jobqueue.spi.Subscription;
import dev.jobqueue.spi.TerminalListener;
import dev.jobqueue.spi.TransitionOutcome;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.stream.Collectors;
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
    /** Physical expiry margin when a test clock is injected: logical expiry (the clock) decides. */
    private static final long INJECTED_CLOCK_SLACK_MILLIS = Duration.ofDays(1).toMillis();
    /** Durations are capped so every deadline stays an exact integer in Lua's doubles. */
    private static final long MAX_MILLIS = Duration.ofDays(365L * 1000).toMillis();
    private static final byte[] NO_CLOCK = new byte[0];
    private static final byte[] NO_WITHHOLD = ascii(0);
    private static final byte[] ZERO = ascii(0);
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final UnifiedJedis client;
    private final boolean ownsClient;
    private final String keyPrefix;
    private final Clock clock;
    private final byte[] slack;
    private final Scripts scripts = new Scripts();
    private final ScriptExecutor executor;
    private final IdleClaimers idleClaimers;
    private final TerminalNotifications notifications;
    private final Map<String, KeySpace> keySpaces = new ConcurrentHashMap<>();
    /**
     * Marks the jobs this instance waits for (enqueued with notifyOnTerminal). When this instance
     * also finishes such a job and no other instance waits for it, the script publishes nothing
     * and this instance tells its own listeners (see make_terminal in prelude.lua).
     */
    private final byte[] notifyTag = utf8("i" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    private volatile boolean closed;

    private RedisStorage(Builder b, UnifiedJedis client, boolean ownsClient) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.keyPrefix = b.keyPrefix;
        this.clock = b.clock;
        this.slack = ascii(clock == null ? 0 : INJECTED_CLOCK_SLACK_MILLIS);
        ThreadFactory threads = daemonThreads("jq-redis-" + INSTANCES.incrementAndGet());
        this.executor = new ScriptExecutor(client, b.pipelineConnections, b.retryWindow, threads);
        this.idleClaimers = new IdleClaimers(client, threads);
        this.notifications = new TerminalNotifications(client, threads, KeySpace.bytes(keyPrefix + ":pubsub-anchor"));
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---- enqueue ------------------------------------------------------------------------------

    @Override
    public EnqueueOutcome enqueue(String queue, NewJob job) {
        StorageArguments.requireValidJob(job);
        return enqueueBatch(queue, List.of(job)).get(0);
    }

    /**
     * Pipelined by a background thread with whatever else is pending: one producer thread with
     * many enqueues in flight gets them sent in few round trips and merged into few script runs.
     * A job ready at once may go straight to an idle claimer of this process, as in {@link #enqueueBatch}.
     */
    @Override
    public CompletableFuture<EnqueueOutcome> enqueueAsync(String queue, NewJob job) {
        StorageArguments.requireValidJob(job);
        KeySpace keys = keys(queue);
        boolean ready = readyAtOnce(job);
        IdleClaimers.Waiter waiter = ready ? idleClaimers.reserve(keys) : null;
        ScriptCall call;
        try {
            call = enqueueCalls(keys, List.of(job), waiter == null ? NO_WITHHOLD : waiter.request.max()).get(0);
        } catch (RuntimeException e) {
            if (waiter != null) {
                idleClaimers.deliver(waiter, null);
            }
            throw e;
        }
        if (waiter != null) {
            ScriptCall handoff = claimCall(keys, waiter.request);
            handoff.reply().whenComplete((reply, error) -> idleClaimers.deliver(waiter, error == null ? reply : null));
            executor.submitAsync(List.of(call, handoff));
        } else {
            executor.submitAsync(List.of(call));
        }
        return call.reply().thenApply(reply -> {
            List<EnqueueOutcome> outcomes = outcomes(List.of(job), List.of(reply));
            if (waiter == null && outcomes.get(0).created() && ready) {
                idleClaimers.wakeAnother(keys);
            }
            return outcomes.get(0);
        });
    }

    @Override
    public List<EnqueueOutcome> enqueueBatch(String queue, List<NewJob> jobs) {
        Objects.requireNonNull(jobs, "jobs");
        jobs.forEach(StorageArguments::requireValidJob);
        KeySpace keys = keys(queue);
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
            calls = enqueueCalls(keys, jobs, waiter == null ? NO_WITHHOLD : waiter.request.max());
            if (waiter != null) {
                handoff = claimCall(keys, waiter.request);
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
        List<EnqueueOutcome> outcomes = outcomes(jobs, replies);
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

    /** The enqueue scripts' replies (one list per call, one element per job) as outcomes in job order. */
    private static List<EnqueueOutcome> outcomes(List<NewJob> jobs, List<Object> replies) {
        List<EnqueueOutcome> outcomes = new ArrayList<>(jobs.size());
        int index = 0;
        for (Object reply : replies) {
            for (Object perJob : Replies.list(reply)) {
                NewJob job = jobs.get(index++);
                outcomes.add(perJob instanceof List<?> existing
                        ? EnqueueOutcome.duplicate(Replies.snapshot(job.id(), existing, 0))
                        : EnqueueOutcome.newlyCreated());
            }
        }
        return outcomes;
    }

    /**
     * The enqueue script calls for {@code jobs}: chunks of at most 256 jobs and about
     * MAX_BYTES_PER_EVAL of payload, each one short script run. The first withholds up to
     * {@code withhold} wake tokens (the jobs a hand-off claim in the same pipeline takes).
     */
    private List<ScriptCall> enqueueCalls(KeySpace keys, List<NewJob> jobs, byte[] withhold) {
        List<ScriptCall> calls = new ArrayList<>();
        for (int from = 0; from < jobs.size(); ) {
            // chunks of at most 256 jobs and about MAX_BYTES_PER_EVAL of payload: each is one short script run
            int to = from;
            long bytes = 0;
            while (to < jobs.size() && to - from < 256 && (to == from || bytes + jobs.get(to).payload().length
                    <= ScriptExecutor.MAX_BYTES_PER_EVAL)) {
                bytes += jobs.get(to).payload().length;
                to++;
            }
            List<NewJob> chunk = jobs.subList(from, to);
            from = to;
            List<byte[]> items = new ArrayList<>(chunk.size() * 7);
            for (NewJob job : chunk) {
                items.add(KeySpace.hexId(job.id()));
                items.add(job.payload());
                items.add(ascii(-(long) job.priority()));
                // the tail of the record's packed field m (see prelude.lua): maxAttempts|maxStalls|nonce
                items.add((job.maxAttempts() + "|" + job.maxStalls() + "|" + ThreadLocalRandom.current().nextLong())
                        .getBytes(StandardCharsets.US_ASCII));
                items.add(when(job));
                items.add(ascii(Math.max(1, millis(job.resultTtl()))));
                items.add(job.notifyOnTerminal() ? notifyTag : ZERO);
            }
            byte[] withheld = calls.isEmpty() ? withhold : NO_WITHHOLD;
            calls.add(ScriptCall.batch(scripts.enqueue, keys.fixedKeys(), head(keys, withheld), items, chunk.size(),
                    () -> keys.jobKey(chunk.get(0).id())));
        }
        return calls;
    }

    /** When the job is due, for the enqueue script: '' now, '+ms' after a delay from Redis's now, 'ms' at an absolute time. */
    private static byte[] when(NewJob job) {
        if (job.runAt() != null) {
            return ascii(job.runAt().toEpochMilli());
        }
        long delay = millis(job.delay());
        return delay <= 0 ? NO_CLOCK : ("+" + delay).getBytes(StandardCharsets.US_ASCII);
    }

    // ---- claim and the worker's transitions ----------------------------------------------------

    @Override
    public List<ClaimedJob> claim(String queue, String workerId, int max, Duration lease, Duration maxWait)
            throws InterruptedException {
        StorageArguments.requireClaim(queue, workerId, max, lease, maxWait);
        KeySpace keys = keys(queue);
        IdleClaimers.ClaimRequest request =
                new IdleClaimers.ClaimRequest(utf8(workerId), ascii(max), ascii(Math.max(1, millis(lease))));
        long waitUntil = System.nanoTime() + Math.max(0, maxWait.toNanos());
        Object reply = executor.execute(claimCall(keys, request));
        while (true) {
            List<?> fields = Replies.list(reply);
            List<ClaimedJob> jobs = claimedJobs(fields);
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
            long nextDue = Replies.number(fields.get(1));
            long waitMillis = nextDue >= 0 ? Math.min(leftMillis, nextDue + 1) : leftMillis;
            Object handed = idleClaimers.await(keys, request, waitMillis);
            // an enqueue of this process may have claimed for us; if that found nothing (a duplicate, or
            // its wake tokens withheld for us), or we were woken or timed out, claim again
            reply = handed != null && handed != IdleClaimers.WOKEN && Replies.list(handed).size() > 2
                    ? handed : executor.execute(claimCall(keys, request));
        }
    }

    /** A claim call; a fresh nonce per call (the executor resends the same call, same nonce, after a lost reply). */
    private ScriptCall claimCall(KeySpace keys, IdleClaimers.ClaimRequest request) {
        List<byte[]> args = head(keys, request.workerId(), request.max(), request.leaseMillis(), nonce());
        return ScriptCall.plain(scripts.claim, keys.fixedKeys(), args, null, null);
    }

    /** Decodes the claim script's reply: {leaseDeadline, msUntilNextDue, then per job: hexId, payload, attempt, m, token}. */
    private static List<ClaimedJob> claimedJobs(List<?> reply) {
        Instant deadline = Replies.instant(reply.get(0));
        List<ClaimedJob> jobs = new ArrayList<>((reply.size() - 2) / 5);
        for (int i = 2; i + 4 < reply.size(); i += 5) {
            Replies.Packed m = Replies.Packed.of((byte[]) reply.get(i + 3));
            jobs.add(new ClaimedJob(KeySpace.idOfHex((byte[]) reply.get(i)), (byte[]) reply.get(i + 1),
                    (int) Replies.number(reply.get(i + 2)), m.maxAttempts(), m.createdAt(), Replies.number(reply.get(i + 4)),
                    deadline));
        }
        return jobs;
    }

    @Override
    public List<String> extend(String queue, List<LeaseRef> leases, Duration lease) {
        Objects.requireNonNull(leases, "leases");
        StorageArguments.requirePositive(lease, "lease");
        if (leases.isEmpty()) {
            return List.of();
        }
        KeySpace keys = keys(queue);
        List<byte[]> items = new ArrayList<>(leases.size() * 2);
        for (LeaseRef ref : leases) {
            items.add(KeySpace.hexId(ref.jobId()));
            items.add(ascii(ref.fencingToken()));
        }
        List<?> reply = Replies.list(executor.execute(ScriptCall.batch(scripts.extend, keys.fixedKeys(),
                head(keys, ascii(Math.max(1, millis(lease)))), items, leases.size(), () -> keys.jobKey(leases.get(0).jobId()))));
        List<String> lost = new ArrayList<>();
        for (int i = 0; i < leases.size(); i++) {
            if (Replies.number(reply.get(i)) == 0) {
                lost.add(leases.get(i).jobId());
            }
        }
        return lost;
    }

    @Override
    public TransitionOutcome complete(String queue, LeaseRef lease, byte[] result, Duration resultTtl) {
        Objects.requireNonNull(result, "result");
        StorageArguments.requireOptionalTtl(resultTtl);
        return finish(queue, scripts.complete, lease, result, optionalMillis(resultTtl));
    }

    @Override
    public TransitionOutcome fail(String queue, LeaseRef lease, JobError error, Duration resultTtl) {
        Objects.requireNonNull(error, "error");
        StorageArguments.requireOptionalTtl(resultTtl);
        return finish(queue, scripts.fail, lease, JobErrorCodec.encode(error), optionalMillis(resultTtl));
    }

    @Override
    public TransitionOutcome retry(String queue, LeaseRef lease, Duration backoff, JobError lastError) {
        StorageArguments.requireNonNegative(backoff, "backoff");
        Objects.requireNonNull(lastError, "lastError");
        return fenced(queue, scripts.retry, lease, ascii(Math.max(0, millis(backoff))), JobErrorCodec.encode(lastError));
    }

    @Override
    public TransitionOutcome release(String queue, LeaseRef lease) {
        return release(queue, lease, ZERO);
    }

    @Override
    public TransitionOutcome unclaim(String queue, LeaseRef lease) {
        return release(queue, lease, ascii(1));
    }

    private TransitionOutcome release(String queue, LeaseRef lease, byte[] unstarted) {
        TransitionOutcome outcome = fenced(queue, scripts.release, lease, unstarted);
        if (outcome == TransitionOutcome.APPLIED) {
            idleClaimers.wakeAnother(keys(queue));
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
        StorageArguments.requireCompletions(completions);
        if (completions.isEmpty()) {
            return List.of();
        }
        KeySpace keys = keys(queue);
        List<byte[]> head = head(keys, notifyTag);
        List<ScriptCall> calls = new ArrayList<>(completions.size());
        for (Completion c : completions) {
            calls.add(fencedCall(keys, scripts.complete, head, c.lease(), c.result(), optionalMillis(c.resultTtl())));
        }
        List<Object> replies = executor.executeAll(calls);
        List<TransitionOutcome> outcomes = new ArrayList<>(replies.size());
        for (int i = 0; i < replies.size(); i++) {
            outcomes.add(finished(keys, completions.get(i).lease().jobId(), replies.get(i)));
        }
        return outcomes;
    }

    /** complete/fail: a fenced transition to a terminal state (finish() in prelude.lua). */
    private TransitionOutcome finish(String queue, LuaScript script, LeaseRef lease, byte[]... extra) {
        Objects.requireNonNull(lease, "lease");
        KeySpace keys = keys(queue);
        return finished(keys, lease.jobId(), executor.execute(fencedCall(keys, script, head(keys, notifyTag), lease, extra)));
    }

    /** The outcome of one finish() item; a snapshot in its place means "applied, tell our own listeners". */
    private TransitionOutcome finished(KeySpace keys, String jobId, Object reply) {
        Object item = Replies.list(reply).get(0);
        if (item instanceof List<?> snapshot) {
            notifications.deliverLocally(keys.channel(), Replies.snapshot(jobId, snapshot, 0));
            return TransitionOutcome.APPLIED;
        }
        return Replies.number(item) == 1 ? TransitionOutcome.APPLIED : TransitionOutcome.LEASE_LOST;
    }

    /** A worker transition: checked against the lease's token; the nonce lets a resend after a lost reply report APPLIED. */
    private TransitionOutcome fenced(String queue, LuaScript script, LeaseRef lease, byte[]... extra) {
        Objects.requireNonNull(lease, "lease");
        KeySpace keys = keys(queue);
        return outcome(executor.execute(fencedCall(keys, script, head(keys), lease, extra)));
    }

    private ScriptCall fencedCall(KeySpace keys, LuaScript script, List<byte[]> head, LeaseRef lease, byte[]... extra) {
        List<byte[]> items = new ArrayList<>(3 + extra.length);
        items.add(KeySpace.hexId(lease.jobId()));
        items.add(ascii(lease.fencingToken()));
        items.addAll(List.of(extra));
        items.add(nonce());
        return ScriptCall.batch(script, keys.fixedKeys(), head, items, 1, () -> keys.jobKey(lease.jobId()));
    }

    private static TransitionOutcome outcome(Object reply) {
        return Replies.number(Replies.list(reply).get(0)) == 1 ? TransitionOutcome.APPLIED : TransitionOutcome.LEASE_LOST;
    }

    @Override
    public List<StalledJob> requeueExpired(String queue, int limit) {
        StorageArguments.requireAtLeastOne(limit, "limit");
        KeySpace keys = keys(queue);
        List<?> reply = Replies.list(plain(keys, scripts.requeueExpired, null, ascii(limit)));
        List<StalledJob> stalled = new ArrayList<>(reply.size());
        for (Object o : reply) {
            List<?> s = Replies.list(o);
            stalled.add(new StalledJob(KeySpace.idOfHex((byte[]) s.get(0)), s.get(1) == null ? null : Replies.text(s.get(1)),
                    (int) Replies.number(s.get(2)), JobState.valueOf(Replies.text(s.get(3)))));
        }
        return stalled;
    }

    // ---- inspection and control ----------------------------------------------------------------

    @Override
    public CancelResult cancel(String queue, String jobId) {
        StorageArguments.requireJobId(jobId);
        KeySpace keys = keys(queue);
        return CancelResult.valueOf(Replies.text(plain(keys, scripts.cancel, () -> keys.jobKey(jobId), KeySpace.hexId(jobId))));
    }

    @Override
    public Optional<JobSnapshot> status(String queue, String jobId) {
        StorageArguments.requireJobId(jobId);
        KeySpace keys = keys(queue);
        Object reply = plain(keys, scripts.status, () -> keys.jobKey(jobId), KeySpace.hexId(jobId));
        return reply == null ? Optional.empty() : Optional.of(Replies.snapshot(jobId, Replies.list(reply), 0));
    }

    @Override
    public TtlUpdateResult updateResultTtl(String queue, String jobId, Duration ttl) {
        StorageArguments.requireJobId(jobId);
        StorageArguments.requirePositive(ttl, "ttl");
        KeySpace keys = keys(queue);
        Object reply = plain(keys, scripts.updateTtl, () -> keys.jobKey(jobId), KeySpace.hexId(jobId), ascii(Math.max(1, millis(ttl))));
        return TtlUpdateResult.valueOf(Replies.text(reply));
    }

    @Override
    public Map<JobState, Long> counts(String queue) {
        List<?> reply = Replies.list(plain(keys(queue), scripts.counts, null));
        JobState[] order = {JobState.QUEUED, JobState.DELAYED, JobState.PROCESSING, JobState.FAILING,
                JobState.COMPLETED, JobState.FAILED, JobState.CANCELLED};
        Map<JobState, Long> counts = new EnumMap<>(JobState.class);
        for (int i = 0; i < order.length; i++) {
            counts.put(order[i], Replies.number(reply.get(i)));
        }
        return counts;
    }

    @Override
    public List<String> list(String queue, JobState state, int limit) {
        Objects.requireNonNull(state, "state");
        StorageArguments.requireAtLeastOne(limit, "limit");
        List<?> reply = Replies.list(plain(keys(queue), scripts.list, null, utf8(state.name()), ascii(limit)));
        return reply.stream().map(hex -> KeySpace.idOfHex((byte[]) hex)).collect(Collectors.toList());
    }

    @Override
    public Subscription subscribe(String queue, TerminalListener listener) {
        Objects.requireNonNull(listener, "listener");
        return notifications.subscribe(keys(queue).channel(), listener);
    }

    // ---- leader lock ---------------------------------------------------------------------------

    @Override
    public boolean acquireLock(String queue, String lock, String owner, Duration ttl) {
        StorageArguments.requirePositive(ttl, "ttl");
        return lockCall(queue, scripts.lockAcquire, lock, utf8(Objects.requireNonNull(owner, "owner")), ascii(Math.max(1, millis(ttl))));
    }

    @Override
    public boolean renewLock(String queue, String lock, String owner, Duration ttl) {
        StorageArguments.requirePositive(ttl, "ttl");
        return lockCall(queue, scripts.lockRenew, lock, utf8(Objects.requireNonNull(owner, "owner")), ascii(Math.max(1, millis(ttl))));
    }

    @Override
    public boolean releaseLock(String queue, String lock, String owner) {
        return lockCall(queue, scripts.lockRelease, lock, utf8(Objects.requireNonNull(owner, "owner")));
    }

    private boolean lockCall(String queue, LuaScript script, String lock, byte[]... args) {
        KeySpace keys = keys(queue);
        String lockKey = keys.lockKey(Objects.requireNonNull(lock, "lock"));
        List<byte[]> lockKeys = new ArrayList<>(keys.fixedKeys());
        lockKeys.add(utf8(lockKey));
        List<byte[]> argv = head(keys, args);
        return Replies.number(executor.execute(ScriptCall.plain(script, lockKeys, argv, () -> lockKey, "string"))) == 1;
    }

    @Override
    public void close() {
        closed = true;
        executor.close();
        idleClaimers.close();
        notifications.close();
        if (ownsClient) {
            client.close();
        }
    }

    /** Claimers of the queue blocked in {@link #claim} in this process right now; for tests. */
    int idleClaimers(String queue) {
        return idleClaimers.waiting(keys(queue));
    }

    /** The key prefix this storage writes under (every key starts with it). */
    public String keyPrefix() {
        return keyPrefix;
    }

    // ---- helpers -------------------------------------------------------------------------------

    private Object plain(KeySpace keys, LuaScript script, Supplier<String> ownKey, byte[]... args) {
        return executor.execute(ScriptCall.plain(script, keys.fixedKeys(), head(keys, args), ownKey, "hash"));
    }

    private KeySpace keys(String queue) {
        StorageArguments.requireQueue(queue);
        if (closed) {
            throw new IllegalStateException("RedisStorage is closed");
        }
        return keySpaces.computeIfAbsent(queue, q -> new KeySpace(keyPrefix, q));
    }

    /** ARGV[1..3] of every script: key base, now (or '' for Redis TIME), physical expiry slack; then {@code args}. */
    private List<byte[]> head(KeySpace keys, byte[]... args) {
        List<byte[]> head = new ArrayList<>(3 + args.length);
        head.add(keys.baseBytes());
        head.add(clock == null ? NO_CLOCK : ascii(clock.millis()));
        head.add(slack);
        head.addAll(List.of(args));
        return head;
    }

    private static byte[] optionalMillis(Duration d) {
        return d == null ? NO_CLOCK : ascii(Math.max(1, millis(d)));
    }

    private static long millis(Duration d) {
        Objects.requireNonNull(d, "duration");
        if (d.compareTo(Duration.ofMillis(MAX_MILLIS)) > 0) {
            return MAX_MILLIS;
        }
        if (d.compareTo(Duration.ofMillis(-MAX_MILLIS)) < 0) {
            return -MAX_MILLIS;
        }
        return d.toMillis();
    }

    /** Identifies one call, so that a resend after a lost reply is recognised by the script. */
    private static byte[] nonce() {
        return ascii(ThreadLocalRandom.current().nextLong());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] ascii(long n) {
        return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
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

        /** {@code redis://[user:password@]host:port[/db]}, or {@code rediss://...} for TLS. */
        public Builder uri(String uri) {
            Objects.requireNonNull(uri, "uri");
            URI parsed;
            try {
                parsed = URI.create(uri);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("uri is not a valid URI", e);
            }
            if (!JedisURIHelper.isValid(parsed)) {
                throw new IllegalArgumentException("uri must look like redis://[user:password@]host:port[/db] or rediss://...");
            }
            this.uri = parsed;
            return this;
        }

        public Builder hostAndPort(String host, int port) {
            if (port <= 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 1..65535, was " + port);
            }
            this.hostAndPort = new HostAndPort(Objects.requireNonNull(host, "host"), port);
            return this;
        }

        /** Redis Cluster seed nodes as {@code host:port}; the cluster's topology is discovered from them. */
        public Builder cluster(String... hostPorts) {
            if (hostPorts.length == 0) {
                throw new IllegalArgumentException("cluster needs at least one host:port");
            }
            Set<HostAndPort> nodes = new java.util.LinkedHashSet<>();
            for (String hp : hostPorts) {
                nodes.add(HostAndPort.from(hp));
            }
            this.clusterNodes = nodes;
            return this;
        }

        /** A client the application owns ({@code JedisPooled}, {@code JedisCluster}, ...); not closed by the storage. */
        public Builder client(UnifiedJedis client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /** First part of every key (default {@code jq}); different applications on one Redis use different prefixes. */
        public Builder keyPrefix(String keyPrefix) {
            Objects.requireNonNull(keyPrefix, "keyPrefix");
            if (keyPrefix.isEmpty() || keyPrefix.contains("{") || keyPrefix.contains("}")) {
                throw new IllegalArgumentException("keyPrefix must be non-empty and free of '{' and '}', was '" + keyPrefix + "'");
            }
            this.keyPrefix = keyPrefix;
            return this;
        }

        /**
         * Testing aid: take "now" from this clock (sent with every script call) instead of the Redis
         * server's {@code TIME}. Then expiry is decided by the clock (keys still get a generous
         * physical expiry). Production code leaves this unset, so that hosts with skewed clocks
         * agree on every deadline.
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * TLS settings (trust store for a private CA, client certificate, verify mode), e.g.
         * {@code SslOptions.builder().truststore(new File("ca.p12"), pass).build()}. Setting them
         * turns TLS on; {@code rediss://} alone uses the JVM's default trust store.
         */
        public Builder tls(SslOptions tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        /** How long an operation keeps retrying while Redis is unreachable (default 30 s). */
        public Builder retryWindow(Duration retryWindow) {
            if (retryWindow == null || retryWindow.isNegative()) {
                throw new IllegalArgumentException("retryWindow must be >= 0");
            }
            this.retryWindow = retryWindow;
            return this;
        }

        /** How many pipeline flushes may be in flight at once (default 2: one on the wire while the next fills). */
        public Builder pipelineConnections(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("pipelineConnections must be >= 1, was " + n);
            }
            this.pipelineConnections = n;
            return this;
        }

        /** Connection pool size when the storage creates the client (default 32). */
        public Builder poolSize(int n) {
            if (n < 2) {
                throw new IllegalArgumentException("poolSize must be >= 2, was " + n);
            }
            this.poolSize = n;
            return this;
        }

        /**
         * Connects and checks the credentials.
         *
         * @throws RedisStorageException when Redis rejects the credentials
         */
        public RedisStorage build() {
            int sources = (uri != null ? 1 : 0) + (hostAndPort != null ? 1 : 0) + (clusterNodes != null ? 1 : 0)
                    + (client != null ? 1 : 0);
            if (sources != 1) {
                throw new IllegalArgumentException("set exactly one of uri, hostAndPort, cluster or client (got " + sources + ")");
            }
            boolean owns = client == null;
            UnifiedJedis c = owns ? createClient() : client;
            RedisStorage storage = new RedisStorage(this, c, owns);
            try {
                c.ping();
            } catch (JedisException e) {
                if (RedisErrors.isAuthFailure(e)) {
                    storage.close();
                    throw RedisErrors.authError(e);
                }
                if (RedisErrors.isTlsFailure(e)) {
                    storage.close();
                    throw new RedisStorageException("TLS handshake with Redis failed (" + e.getMessage()
                            + "): check that the server speaks TLS and that the trust store (Builder.tls) holds its CA", e);
                }
                LOG.warn("Redis is not reachable yet ({}); operations will retry", e.getMessage());
            }
            return storage;
        }

        private UnifiedJedis createClient() {
            return clusterNodes != null
                    ? RedisClients.cluster(clusterNodes, poolSize, tls)
                    : RedisClients.standalone(hostAndPort != null ? hostAndPort : JedisURIHelper.getHostAndPort(uri), uri,
                            poolSize, tls);
        }
    }
}
