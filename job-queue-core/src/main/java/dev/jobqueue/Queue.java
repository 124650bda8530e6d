package dev.jobqueue;

import static dev.jobqueue.Arguments.check;
import static dev.jobqueue.Arguments.checkQueueName;
import static dev.jobqueue.Arguments.positive;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.jobqueue.internal.Identities;
import dev.jobqueue.internal.QueueSettings;
import dev.jobqueue.internal.SafeQueueListener;
import dev.jobqueue.internal.Waiters;
import dev.jobqueue.internal.Worker;
import dev.jobqueue.spi.EnqueueOutcome;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.NewJob;
import dev.jobqueue.spi.Storage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A typed job queue over a {@link Storage}: producer (enqueue, enqueueAsync, enqueueAndWait,
 * submit, status, cancel) and consumer (handler threads, once {@link #start() started}) in one
 * object; either side may be unused. Thread-safe.
 *
 * <!-- snippet: queue -->
 * <pre>{@code
 * try (Queue<Order, Receipt> queue = Queue.builder(storage, Order.class, Receipt.class)
 *         .name("orders")
 *         .concurrency(8)
 *         .handler(job -> payments.charge(job.payload()))
 *         .build()) {
 *     queue.start();
 *     queue.enqueue("order-41", order41);                                     // fire and forget
 *     Receipt r = queue.enqueueAndWait("order-42", order42, Duration.ofSeconds(10)); // request/response
 * }
 * }</pre>
 *
 * <p>A job id is its deduplication key: while a job with that id exists (terminal ones until
 * their result TTL ends) enqueueing it again creates nothing and reports the existing job.
 * Delivery is at least once; handlers get the attempt number and a fencing token.
 */
public final class Queue<P, R> implements AutoCloseable {
    private final QueueSettings<P, R> settings;
    private final Duration shutdownGrace;
    private final Duration defaultWaitTimeout;
    private final Waiters<R> waiters;
    private Worker<P, R> worker; // guarded by this
    private volatile boolean running; // written under this

    private Queue(QueueSettings<P, R> settings, Duration shutdownGrace, Duration defaultWaitTimeout) {
        this.settings = settings;
        this.shutdownGrace = shutdownGrace;
        this.defaultWaitTimeout = defaultWaitTimeout;
        this.waiters = new Waiters<>(settings.storage(), settings.name(), settings.resultSerde(), settings.logger());
    }

    /** A builder for a queue of {@code payloadType} jobs returning {@code resultType}, JSON-serialized. */
    public static <P, R> Builder<P, R> builder(Storage storage, Class<P> payloadType, Class<R> resultType) {
        check(payloadType != null, "payloadType must not be null");
        check(resultType != null, "resultType must not be null");
        return new Builder<>(storage, Serde.json(payloadType), Serde.json(resultType));
    }

    /** A builder for generic payload/result types such as {@code List<Order>}. */
    public static <P, R> Builder<P, R> builder(Storage storage, TypeReference<P> payloadType, TypeReference<R> resultType) {
        check(payloadType != null, "payloadType must not be null");
        check(resultType != null, "resultType must not be null");
        return new Builder<>(storage, Serde.json(payloadType), Serde.json(resultType));
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Starts the consumer: a claimer, {@code concurrency} handler threads and a heartbeat.
     * Without a handler the queue is producer-only and this only marks it running. Calling it
     * again while running does nothing; a stopped queue can be started again.
     */
    public synchronized void start() {
        if (running) {
            return;
        }
        if (settings.handler() != null) {
            worker = new Worker<>(settings, waiters);
            worker.start();
            settings.logger().info("queue {} started: worker {} with concurrency {}", settings.name(),
                    settings.workerId(), settings.concurrency());
        } else {
            settings.logger().info("queue {} started producer-only (no handler)", settings.name());
        }
        running = true;
    }

    /**
     * Stops gracefully: no new claims; jobs claimed but not started go back at once; running jobs
     * get {@code grace} to finish, then their handlers are interrupted ({@link Job#isCancelled()}
     * turns true) and their jobs put back to QUEUED at once. Callers still waiting in
     * enqueueAndWait fail with an {@link IllegalStateException}. Calling it again does nothing.
     */
    public void stop(Duration grace) {
        check(grace != null && !grace.isNegative(), "grace must be >= 0, got " + grace);
        boolean wasRunning;
        synchronized (this) {
            wasRunning = running;
            if (worker != null) {
                try {
                    worker.stop(grace);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    settings.logger().warn("interrupted while stopping queue {}", settings.name());
                }
                worker = null;
            }
            running = false;
        }
        waiters.close(); // also for a producer-only queue that was never started but waited for results
        if (wasRunning) {
            settings.logger().info("queue {} stopped", settings.name());
        }
    }

    /** {@link #stop(Duration)} with the builder's {@code shutdownGrace} (default 30 s). */
    @Override
    public void close() {
        stop(shutdownGrace);
    }

    /** True between {@link #start()} and the end of {@link #stop(Duration)}. */
    public boolean isRunning() {
        return running;
    }

    // ---------------------------------------------------------------- producing

    /** Enqueues with default options. */
    public EnqueueResult<R> enqueue(String id, P payload) {
        return enqueue(id, payload, EnqueueOptions.defaults());
    }

    /** Enqueues unless a job with {@code id} exists; see {@link EnqueueResult}. */
    public EnqueueResult<R> enqueue(String id, P payload, EnqueueOptions options) {
        NewJob job = newJob(id, payload, options, false);
        return toResult(job, settings.storage().enqueue(settings.name(), job));
    }

    /** {@link #enqueueAsync(String, Object, EnqueueOptions)} with default options. */
    public CompletableFuture<EnqueueResult<R>> enqueueAsync(String id, P payload) {
        return enqueueAsync(id, payload, EnqueueOptions.defaults());
    }

    /**
     * {@link #enqueue(String, Object, EnqueueOptions)} without blocking: the future completes once
     * the storage has the job (or reports the existing one), or fails with the error
     * {@code enqueue} would throw. Invalid arguments throw at once. One thread can keep many
     * enqueues in flight; a Redis storage pipelines them. Callbacks may run on a storage thread:
     * keep them short.
     *
     * <!-- snippet: queue-enqueue-async -->
     * <pre>{@code
     * Semaphore inFlight = new Semaphore(256);
     * for (Order o : orders) {
     *     inFlight.acquire();
     *     queue.enqueueAsync(o.id(), o).whenComplete((r, e) -> inFlight.release());
     * }
     * }</pre>
     */
    public CompletableFuture<EnqueueResult<R>> enqueueAsync(String id, P payload, EnqueueOptions options) {
        NewJob job = newJob(id, payload, options, false);
        return settings.storage().enqueueAsync(settings.name(), job).thenApply(outcome -> toResult(job, outcome));
    }

    /** Enqueues many jobs in one storage call; results in input order. */
    public List<EnqueueResult<R>> enqueueAll(List<EnqueueRequest<P>> requests) {
        check(requests != null, "requests must not be null");
        List<NewJob> jobs = new ArrayList<>(requests.size());
        for (EnqueueRequest<P> r : requests) {
            check(r != null, "requests must not contain null");
            jobs.add(newJob(r.id(), r.payload(), r.options(), false));
        }
        List<EnqueueOutcome> outcomes = settings.storage().enqueueBatch(settings.name(), jobs);
        List<EnqueueResult<R>> results = new ArrayList<>(outcomes.size());
        for (int i = 0; i < outcomes.size(); i++) {
            results.add(toResult(jobs.get(i), outcomes.get(i)));
        }
        return results;
    }

    /** Enqueues (or finds) the job and waits up to the default timeout for its result. */
    public R enqueueAndWait(String id, P payload) throws InterruptedException {
        return enqueueAndWait(id, payload, EnqueueOptions.defaults(), defaultWaitTimeout);
    }

    /**
     * Enqueues (or finds) the job and waits for its result. An already completed id returns its
     * cached result at once; an already failed id fails at once; a duplicate still on its way is
     * waited for.
     *
     * @throws JobFailedException    the job FAILED (carries the persisted {@link JobError})
     * @throws JobTimeoutException   no outcome within {@code timeout} (the job is not cancelled)
     * @throws JobCancelledException the job was cancelled
     */
    public R enqueueAndWait(String id, P payload, Duration timeout) throws InterruptedException {
        return enqueueAndWait(id, payload, EnqueueOptions.defaults(), timeout);
    }

    /** {@link #enqueueAndWait(String, Object, Duration)} with options and the default timeout. */
    public R enqueueAndWait(String id, P payload, EnqueueOptions options) throws InterruptedException {
        return enqueueAndWait(id, payload, options, defaultWaitTimeout);
    }

    /** {@link #enqueueAndWait(String, Object, Duration)} with per-job options. */
    public R enqueueAndWait(String id, P payload, EnqueueOptions options, Duration timeout) throws InterruptedException {
        // The blocking enqueue: this thread has nothing else to do, so it may talk to the storage
        // itself rather than hand the call to a storage thread.
        CompletableFuture<R> future = submit(id, payload, options, timeout, false);
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(false); // removes the waiter
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** Async {@link #enqueueAndWait(String, Object, Duration)} with the default timeout. */
    public CompletableFuture<R> submit(String id, P payload) {
        return submit(id, payload, EnqueueOptions.defaults(), defaultWaitTimeout);
    }

    /** Async {@link #enqueueAndWait(String, Object, Duration)} with options and the default timeout. */
    public CompletableFuture<R> submit(String id, P payload, EnqueueOptions options) {
        return submit(id, payload, options, defaultWaitTimeout);
    }

    /**
     * Async {@link #enqueueAndWait(String, Object, EnqueueOptions, Duration)}: the future fails with
     * the same exceptions. Cancelling the future stops waiting (the job is not cancelled).
     */
    public CompletableFuture<R> submit(String id, P payload, EnqueueOptions options, Duration timeout) {
        return submit(id, payload, options, timeout, true);
    }

    private CompletableFuture<R> submit(String id, P payload, EnqueueOptions options, Duration timeout,
                                        boolean enqueueAsync) {
        check(timeout != null && !timeout.isNegative() && !timeout.isZero(), "timeout must be > 0, got " + timeout);
        NewJob job = newJob(id, payload, options, true);
        // Register before enqueueing: an outcome that arrives in between must not be missed.
        CompletableFuture<R> future = waiters.register(id, timeout);
        CompletableFuture<EnqueueOutcome> enqueued;
        try {
            enqueued = enqueueAsync ? settings.storage().enqueueAsync(settings.name(), job)
                    : CompletableFuture.completedFuture(settings.storage().enqueue(settings.name(), job));
        } catch (RuntimeException e) {
            enqueued = CompletableFuture.failedFuture(e);
        }
        enqueued.whenComplete((outcome, error) -> {
            if (error != null) {
                future.completeExceptionally(error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error);
                return;
            }
            try {
                EnqueueResult<R> r = toResult(job, outcome);
                if (r.kind() == EnqueueResult.Kind.COMPLETED) {
                    future.complete(r.result());
                } else if (r.state() == JobState.FAILED) {
                    future.completeExceptionally(new JobFailedException(id, r.error()));
                }
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            }
        });
        return future;
    }

    // ---------------------------------------------------------------- inspecting and managing

    /** The job's record, or empty when unknown or expired. */
    public Optional<JobStatus<R>> status(String id) {
        requireId(id);
        return settings.storage().status(settings.name(), id).map(this::toStatus);
    }

    /** The result of a COMPLETED job (empty when not completed, unknown, or the result is null). */
    public Optional<R> result(String id) {
        return status(id).filter(s -> s.state() == JobState.COMPLETED).map(JobStatus::result);
    }

    /** The persisted error of a FAILED job, or the last error of a FAILING one. */
    public Optional<JobError> error(String id) {
        return status(id).map(JobStatus::error);
    }

    /** Cancels a QUEUED, DELAYED or FAILING job; see {@link CancelResult} for the other cases. */
    public CancelResult cancel(String id) {
        requireId(id);
        CancelResult r = settings.storage().cancel(settings.name(), id);
        if (r == CancelResult.CANCELLED) {
            settings.listener().cancelled(id);
        }
        return r;
    }

    /** Makes a COMPLETED or FAILED record expire {@code ttl} (> 0) from now. */
    public TtlUpdateResult updateResultTtl(String id, Duration ttl) {
        requireId(id);
        check(ttl != null && !ttl.isNegative() && !ttl.isZero(), "ttl must be > 0, got " + ttl);
        return settings.storage().updateResultTtl(settings.name(), id, ttl);
    }

    /** Live jobs per state (every state present). */
    public Map<JobState, Long> counts() {
        return settings.storage().counts(settings.name());
    }

    /** The queue's name (its namespace on the storage). */
    public String name() {
        return settings.name();
    }

    /** The id this queue's worker claims jobs under. */
    public String workerId() {
        return settings.workerId();
    }

    /** Callers currently waiting in enqueueAndWait/submit (each wait ends with an outcome or its timeout). */
    public int waitingCallers() {
        return waiters.size();
    }

    // ---------------------------------------------------------------- internals

    private NewJob newJob(String id, P payload, EnqueueOptions options, boolean notifyOnTerminal) {
        requireId(id);
        check(options != null, "options must not be null");
        byte[] bytes = settings.payloadSerde().serialize(payload);
        int maxAttempts = options.maxAttempts() != null ? options.maxAttempts() : settings.maxAttempts();
        Duration ttl = options.resultTtl() != null ? options.resultTtl() : settings.resultTtl();
        Duration delay = options.delay() != null ? options.delay() : Duration.ZERO;
        return new NewJob(id, bytes, options.priority(), delay, options.runAt(), maxAttempts, settings.maxStalls(), ttl,
                notifyOnTerminal);
    }

    private EnqueueResult<R> toResult(NewJob job, EnqueueOutcome outcome) {
        if (outcome.created()) {
            settings.listener().enqueued(job.id());
            return EnqueueResult.queued(job.id(), requestedState(job));
        }
        JobSnapshot existing = outcome.existing();
        if (existing.state() == JobState.COMPLETED) {
            return EnqueueResult.completed(job.id(), settings.resultSerde().deserialize(existing.result()));
        }
        return EnqueueResult.duplicate(job.id(), existing.state(), existing.error());
    }

    /** The state a new job starts in, as far as the request says (the storage's clock decides exactly). */
    private JobState requestedState(NewJob job) {
        boolean later = job.runAt() != null ? job.runAt().isAfter(settings.clock().instant()) : !job.delay().isZero();
        return later ? JobState.DELAYED : JobState.QUEUED;
    }

    private JobStatus<R> toStatus(JobSnapshot s) {
        R result = s.state() == JobState.COMPLETED && s.result() != null
                ? settings.resultSerde().deserialize(s.result()) : null;
        return new JobStatus<>(s.id(), s.state(), s.priority(), s.createdAt(), s.runAt(), s.attempts(), s.maxAttempts(),
                s.stalls(), result, s.error(), s.expiresAt());
    }

    private static void requireId(String id) {
        check(id != null && !id.isEmpty(), "id must be a non-empty string");
    }


    /**
     * Immutable builder of a {@link Queue}: every setter validates its option at once (an
     * {@link IllegalArgumentException} naming the option) and returns a new builder.
     *
     * <!-- snippet: queue-builder -->
     * <pre>{@code
     * Queue.Builder<Order, Receipt> base = Queue.builder(storage, Order.class, Receipt.class).name("orders");
     * Queue<Order, Receipt> producer = base.build();
     * Queue<Order, Receipt> consumer = base.concurrency(4).handler(job -> charge(job.payload())).build();
     * }</pre>
     *
     * <p>Defaults: name "default", concurrency 1, prefetch = concurrency, maxAttempts 3, {@link Backoff#defaultBackoff()},
     * visibilityTimeout 30 s, maxStalls 3, resultTtl 1 h, JSON serdes, no handler (producer-only),
     * logger {@code dev.jobqueue.Queue}, system UTC clock, workerId host-pid-random, shutdownGrace
     * 30 s, defaultWaitTimeout 30 s.
     */
    public static final class Builder<P, R> {
        private final Storage storage;
        private String name = "default";
        private int concurrency = 1;
        private Integer prefetch;
        private int maxAttempts = 3;
        private Backoff backoff = Backoff.defaultBackoff();
        private Duration visibilityTimeout = Duration.ofSeconds(30);
        private int maxStalls = 3;
        private Duration resultTtl = Duration.ofHours(1);
        private Serde<P> payloadSerde;
        private Serde<R> resultSerde;
        private JobHandler<P, R> handler;
        private AfterExecution<P, R> afterExecution;
        private List<QueueListener> listeners = List.of();
        private Logger logger = LoggerFactory.getLogger(Queue.class);
        private Clock clock = Clock.systemUTC();
        private String workerId;
        private Duration shutdownGrace = Duration.ofSeconds(30);
        private Duration defaultWaitTimeout = Duration.ofSeconds(30);

        private Builder(Storage storage, Serde<P> payloadSerde, Serde<R> resultSerde) {
            check(storage != null, "storage must not be null");
            this.storage = storage;
            this.payloadSerde = payloadSerde;
            this.resultSerde = resultSerde;
        }

        private Builder<P, R> copy() {
            Builder<P, R> b = new Builder<>(storage, payloadSerde, resultSerde);
            b.name = name;
            b.concurrency = concurrency;
            b.prefetch = prefetch;
            b.maxAttempts = maxAttempts;
            b.backoff = backoff;
            b.visibilityTimeout = visibilityTimeout;
            b.maxStalls = maxStalls;
            b.resultTtl = resultTtl;
            b.handler = handler;
            b.afterExecution = afterExecution;
            b.listeners = listeners;
            b.logger = logger;
            b.clock = clock;
            b.workerId = workerId;
            b.shutdownGrace = shutdownGrace;
            b.defaultWaitTimeout = defaultWaitTimeout;
            return b;
        }

        /** Namespace on the storage: {@code [A-Za-z0-9._-]{1,128}} (it sits inside Redis key hash tags, so braces and other punctuation are excluded). */
        public Builder<P, R> name(String name) {
            checkQueueName(name);
            Builder<P, R> b = copy();
            b.name = name;
            return b;
        }

        /** Handler threads (>= 1). */
        public Builder<P, R> concurrency(int concurrency) {
            check(concurrency >= 1, "concurrency must be >= 1, got " + concurrency);
            Builder<P, R> b = copy();
            b.concurrency = concurrency;
            return b;
        }

        /**
         * Jobs a worker may claim ahead of its free handlers (>= 0; default: the concurrency), so
         * that a handler finishing a job finds the next one at hand instead of waiting for a storage
         * round trip. Claiming ahead is on only while handlers average under 1 ms per job: for
         * longer jobs it would gain little and keep work from idle workers elsewhere, so the worker
         * then claims only for idle handlers. Claimed-ahead jobs are leased and heartbeated like
         * running ones and go back to the queue at once on stop. 0 turns claiming ahead off.
         */
        public Builder<P, R> prefetch(int prefetch) {
            check(prefetch >= 0, "prefetch must be >= 0, got " + prefetch);
            Builder<P, R> b = copy();
            b.prefetch = prefetch;
            return b;
        }

        /** Default attempts per job (>= 1); a job may override it at enqueue. */
        public Builder<P, R> maxAttempts(int maxAttempts) {
            check(maxAttempts >= 1, "maxAttempts must be >= 1, got " + maxAttempts);
            Builder<P, R> b = copy();
            b.maxAttempts = maxAttempts;
            return b;
        }

        /** Delay before each retry. */
        public Builder<P, R> backoff(Backoff backoff) {
            check(backoff != null, "backoff must not be null");
            Builder<P, R> b = copy();
            b.backoff = backoff;
            return b;
        }

        /** Lease length of a claim (> 0); live workers extend it every third of it. */
        public Builder<P, R> visibilityTimeout(Duration visibilityTimeout) {
            check(positive(visibilityTimeout), "visibilityTimeout must be > 0, got " + visibilityTimeout);
            Builder<P, R> b = copy();
            b.visibilityTimeout = visibilityTimeout;
            return b;
        }

        /** Lease expiries a job survives (>= 0); the next one fails it "stalled too often". */
        public Builder<P, R> maxStalls(int maxStalls) {
            check(maxStalls >= 0, "maxStalls must be >= 0, got " + maxStalls);
            Builder<P, R> b = copy();
            b.maxStalls = maxStalls;
            return b;
        }

        /** Default time COMPLETED/FAILED records (and their dedup) are kept (> 0). */
        public Builder<P, R> resultTtl(Duration resultTtl) {
            check(positive(resultTtl), "resultTtl must be > 0, got " + resultTtl);
            Builder<P, R> b = copy();
            b.resultTtl = resultTtl;
            return b;
        }

        public Builder<P, R> payloadSerde(Serde<P> payloadSerde) {
            check(payloadSerde != null, "payloadSerde must not be null");
            Builder<P, R> b = copy();
            b.payloadSerde = payloadSerde;
            return b;
        }

        public Builder<P, R> resultSerde(Serde<R> resultSerde) {
            check(resultSerde != null, "resultSerde must not be null");
            Builder<P, R> b = copy();
            b.resultSerde = resultSerde;
            return b;
        }

        /** The job handler; without one the queue is producer-only. */
        public Builder<P, R> handler(JobHandler<P, R> handler) {
            check(handler != null, "handler must not be null");
            Builder<P, R> b = copy();
            b.handler = handler;
            return b;
        }

        public Builder<P, R> afterExecution(AfterExecution<P, R> afterExecution) {
            check(afterExecution != null, "afterExecution must not be null");
            Builder<P, R> b = copy();
            b.afterExecution = afterExecution;
            return b;
        }

        /** Adds a listener (several allowed; called in the order added). */
        public Builder<P, R> listener(QueueListener listener) {
            check(listener != null, "listener must not be null");
            Builder<P, R> b = copy();
            List<QueueListener> more = new ArrayList<>(listeners);
            more.add(listener);
            b.listeners = List.copyOf(more);
            return b;
        }

        public Builder<P, R> logger(Logger logger) {
            check(logger != null, "logger must not be null");
            Builder<P, R> b = copy();
            b.logger = logger;
            return b;
        }

        /** Clock for the timestamps this queue writes (error times); storages keep their own clock. */
        public Builder<P, R> clock(Clock clock) {
            check(clock != null, "clock must not be null");
            Builder<P, R> b = copy();
            b.clock = clock;
            return b;
        }

        /** The id claims are made under (non-empty); default host-pid-random, unique per queue. */
        public Builder<P, R> workerId(String workerId) {
            check(workerId != null && !workerId.isBlank(), "workerId must be a non-blank string");
            Builder<P, R> b = copy();
            b.workerId = workerId;
            return b;
        }

        /** Grace period of {@link Queue#close()} (>= 0). */
        public Builder<P, R> shutdownGrace(Duration shutdownGrace) {
            check(shutdownGrace != null && !shutdownGrace.isNegative(), "shutdownGrace must be >= 0, got " + shutdownGrace);
            Builder<P, R> b = copy();
            b.shutdownGrace = shutdownGrace;
            return b;
        }

        /** Timeout of enqueueAndWait/submit when none is given (> 0). */
        public Builder<P, R> defaultWaitTimeout(Duration defaultWaitTimeout) {
            check(positive(defaultWaitTimeout), "defaultWaitTimeout must be > 0, got " + defaultWaitTimeout);
            Builder<P, R> b = copy();
            b.defaultWaitTimeout = defaultWaitTimeout;
            return b;
        }

        public Queue<P, R> build() {
            String id = workerId != null ? workerId : Identities.unique();
            int ahead = prefetch != null ? prefetch : concurrency;
            QueueSettings<P, R> settings = new QueueSettings<>(storage, name, concurrency, ahead, maxAttempts, backoff,
                    visibilityTimeout, maxStalls, resultTtl, payloadSerde, resultSerde, handler, afterExecution,
                    new SafeQueueListener(listeners, logger), logger, clock, id, Duration.ofSeconds(1));
            return new Queue<>(settings, shutdownGrace, defaultWaitTimeout);
        }
    }

    @Override
    public String toString() {
        return "Queue[" + settings.name() + ", worker " + settings.workerId() + "]";
    }
}
