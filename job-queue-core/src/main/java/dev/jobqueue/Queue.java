package dev.jobqueue;

import static dev.jobqueue.Arguments.check;
import static dev.jobqueue.Arguments.nonBlank;
import static dev.jobqueue.Arguments.nonNegativeWait;
import static dev.jobqueue.Arguments.notNull;
import static dev.jobqueue.Arguments.positive;
import static dev.jobqueue.Arguments.positiveWait;
import static dev.jobqueue.Arguments.queueName;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jobqueue.internal.BatchSettings;
import dev.jobqueue.internal.BatchWorker;
import dev.jobqueue.internal.QueueOperations;
import dev.jobqueue.internal.QueueSettings;
import dev.jobqueue.internal.ScheduleRunner;
import dev.jobqueue.internal.ShutdownHook;
import dev.jobqueue.internal.VirtualThreads;
import dev.jobqueue.internal.Waiters;
import dev.jobqueue.internal.Worker;
import dev.jobqueue.spi.CheckedStorage;
import dev.jobqueue.spi.EnqueueOutcome;
import dev.jobqueue.spi.JobMetadata;
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
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * A typed job queue over a {@link Storage}: producer (enqueue, enqueueAsync, enqueueAndWait,
 * submit, status, cancel), consumer (handler threads, once {@link #start() started}) and operator
 * (list, inspect, retry, delete, purge, promote, pause) in one object; each side may be unused.
 * Thread-safe.
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
 *
 * <p>A started queue with a handler closes itself on JVM shutdown (SIGTERM, Ctrl-C) unless built
 * with {@link Builder#closeOnJvmShutdown(boolean) closeOnJvmShutdown(false)}: running jobs get
 * the shutdown grace, the rest go back to the queue at once.
 *
 * <p>Every bad argument, {@code null} included, is an {@link IllegalArgumentException} naming it.
 */
public final class Queue<P, R> implements AutoCloseable {
    private final QueueSettings<P, R> settings;
    private final Waiters<R> waiters;
    private final QueueOperations<P, R> operations;
    private Worker<P, R> worker; // guarded by this
    private ShutdownHook shutdownHook; // guarded by this
    private volatile boolean running; // written under this
    // ---- recurring schedules and batch handlers (helper sched)
    private final Duration schedulePollInterval;
    private final Duration misfireThreshold;
    private final BatchSettings<P, R> batchSettings; // null without a batch handler
    private final Schedules<P> schedules;
    private BatchWorker<P, R> batchWorker; // guarded by this
    private ScheduleRunner<P> scheduleRunner; // guarded by this
    // ---- end of recurring schedules and batch handlers

    private Queue(QueueSettings<P, R> settings, Duration schedulePollInterval, Duration misfireThreshold,
                  BatchSettings<P, R> batchSettings) {
        this.settings = settings;
        this.waiters = new Waiters<>(settings.storage(), settings.name(), settings.resultSerde(), settings.logger());
        this.operations = new QueueOperations<>(settings);
        this.schedulePollInterval = schedulePollInterval;
        this.misfireThreshold = misfireThreshold;
        this.batchSettings = batchSettings;
        this.schedules = new Schedules<>(settings.storage(), settings.name(), settings.payloadSerde(), settings.clock());
    }

    /**
     * A builder for a queue of {@code payloadType} jobs returning {@code resultType}, JSON-serialized.
     *
     * @param <P> the payload type
     * @param <R> the result type
     * @param storage where the queue's jobs are kept
     * @param payloadType the class payloads are read as
     * @param resultType the class results are read as
     * @return a new builder holding the defaults
     */
    public static <P, R> Builder<P, R> builder(Storage storage, Class<P> payloadType, Class<R> resultType) {
        notNull(payloadType, "payloadType");
        notNull(resultType, "resultType");
        return new Builder<>(storage, mapper -> mapper == null ? Serde.json(payloadType) : Serde.json(payloadType, mapper),
                mapper -> mapper == null ? Serde.json(resultType) : Serde.json(resultType, mapper));
    }

    /**
     * A builder for generic payload/result types such as {@code List<Order>}.
     *
     * @param <P> the payload type
     * @param <R> the result type
     * @param storage where the queue's jobs are kept
     * @param payloadType the full generic payload type
     * @param resultType the full generic result type
     * @return a new builder holding the defaults
     */
    public static <P, R> Builder<P, R> builder(Storage storage, TypeReference<P> payloadType, TypeReference<R> resultType) {
        notNull(payloadType, "payloadType");
        notNull(resultType, "resultType");
        return new Builder<>(storage, mapper -> mapper == null ? Serde.json(payloadType) : Serde.json(payloadType, mapper),
                mapper -> mapper == null ? Serde.json(resultType) : Serde.json(resultType, mapper));
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Starts the consumer: a claimer, {@code concurrency} handler threads and a heartbeat, and
     * (unless turned off) the hook that closes the queue on JVM shutdown. Without a handler the
     * queue is producer-only and this only marks it running. Calling it again while running does
     * nothing; a stopped queue can be started again. All or nothing: when it throws, no thread
     * or hook of this queue is left and {@link #isRunning()} is false.
     *
     * @throws IllegalStateException when the JVM is already shutting down (closeOnJvmShutdown on)
     */
    public synchronized void start() {
        if (running) {
            return;
        }
        Worker<P, R> started = null;
        ShutdownHook hook = null;
        try {
            if (settings.limits() != null) {
                settings.storage().setLimits(settings.name(), settings.limits()); // Builder.limits: last writer wins
            }
            if (settings.handler() != null) {
                started = new Worker<>(settings, waiters);
                started.start();
                if (settings.closeOnJvmShutdown()) {
                    hook = ShutdownHook.register("jobqueue-" + settings.name() + "-shutdown", this::close);
                }
                settings.logger().info("queue {} started: worker {} with concurrency {}", settings.name(),
                        settings.workerId(), settings.concurrency());
            } else if (batchSettings == null) {
                settings.logger().info("queue {} started producer-only (no handler)", settings.name());
            }
            startBatchesAndSchedules(); // sched: the batch worker (if any) and the schedule poller
            if (batchWorker != null && settings.closeOnJvmShutdown()) {
                hook = ShutdownHook.register("jobqueue-" + settings.name() + "-shutdown", this::close);
            }
        } catch (RuntimeException | Error e) {
            stopBatchesAndSchedules(Duration.ZERO);
            if (hook != null) {
                hook.remove();
            }
            if (started != null) {
                stopQuietly(started, e);
            }
            throw e;
        }
        worker = started;
        shutdownHook = hook;
        running = true;
        if (started != null || batchWorker != null) {
            settings.listener().queueStarted(settings.name(), settings.workerId());
        }
    }

    // ---- recurring schedules and batch handlers (helper sched)

    /** Under this: starts the batch worker (queues with a batch handler) and the schedule poller. */
    private void startBatchesAndSchedules() {
        if (batchSettings != null) {
            BatchWorker<P, R> b = new BatchWorker<>(settings, batchSettings, waiters);
            b.start();
            batchWorker = b;
            settings.logger().info("queue {} started: batch worker {} with concurrency {}, batches of up to {} jobs",
                    settings.name(), settings.workerId(), settings.concurrency(), batchSettings.maxJobs());
        }
        ScheduleRunner<P> r = new ScheduleRunner<>(settings.storage(), settings.name(), settings.payloadSerde(),
                settings.clock(), settings.logger(), schedulePollInterval, misfireThreshold,
                (id, payload, options) -> enqueue(id, payload, options), () -> { });
        r.start();
        scheduleRunner = r;
    }

    /** Under this: stops the schedule poller and the batch worker (running batches get {@code grace}). */
    private void stopBatchesAndSchedules(Duration grace) {
        try {
            if (scheduleRunner != null) {
                scheduleRunner.stop();
            }
            if (batchWorker != null) {
                batchWorker.stop(grace);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            settings.logger().warn("interrupted while stopping queue {}", settings.name());
        } finally {
            scheduleRunner = null;
            batchWorker = null;
        }
    }

    /**
     * The recurring schedules of this queue, kept in the storage and fired by every started queue
     * of the same name (see {@link Schedule}).
     *
     * <!-- snippet: queue-schedules -->
     * <pre>{@code
     * queue.schedules().upsert(Schedule.<Report>cron("nightly-report", "0 3 * * *").payload(new Report("sales")));
     * queue.start();   // fires the job "nightly-report@<epoch millis>" at 03:00 UTC every day
     * }</pre>
     *
     * @return the schedules of this queue
     */
    public Schedules<P> schedules() {
        return schedules;
    }

    // ---- end of recurring schedules and batch handlers

    private void stopQuietly(Worker<P, R> started, Throwable cause) {
        try {
            started.stop(Duration.ZERO);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error stopFailure) {
            cause.addSuppressed(stopFailure);
        }
    }

    /**
     * Stops gracefully: no new claims; jobs claimed but not started go back at once; running jobs
     * get {@code grace} to finish, then their handlers are interrupted ({@link Job#isCancelled()}
     * turns true) and their jobs put back to QUEUED at once. Callers still waiting in
     * enqueueAndWait fail with an {@link IllegalStateException}. Calling it again does nothing.
     * A grace beyond 100 years counts as 100 years. Also removes the JVM shutdown hook.
      *
      * @param grace how long running jobs may take to finish before their handlers are interrupted
     */
    public void stop(Duration grace) {
        Duration g = nonNegativeWait(grace, "grace");
        boolean wasRunning;
        boolean hadWorker;
        synchronized (this) {
            wasRunning = running;
            hadWorker = worker != null || batchWorker != null;
            stopBatchesAndSchedules(g); // sched
            try {
                if (worker != null) {
                    worker.stop(g);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                settings.logger().warn("interrupted while stopping queue {}", settings.name());
            } finally {
                worker = null;
                running = false;
                if (shutdownHook != null) {
                    shutdownHook.remove();
                    shutdownHook = null;
                }
            }
        }
        waiters.close(); // also for a producer-only queue that was never started but waited for results
        if (wasRunning) {
            settings.logger().info("queue {} stopped", settings.name());
        }
        if (hadWorker) {
            settings.listener().queueStopped(settings.name(), settings.workerId());
        }
    }

    /** {@link #stop(Duration)} with the builder's {@code shutdownGrace} (default 30 s). */
    @Override
    public void close() {
        stop(settings.shutdownGrace());
    }

    /**
     * True between {@link #start()} and the end of {@link #stop(Duration)}.
     *
     * @return whether the queue is started
     */
    public boolean isRunning() {
        return running;
    }

    // ---------------------------------------------------------------- producing

    /**
     * Enqueues with default options.
     *
     * @param id the job's id, its deduplication key within the queue
     * @param payload the job's input, serialized with the payload serde
     * @return whether a job was created or one with {@code id} already existed
     */
    public EnqueueResult<R> enqueue(String id, P payload) {
        return enqueue(id, payload, EnqueueOptions.defaults());
    }

    /**
     * Enqueues unless a job with {@code id} exists; see {@link EnqueueResult}.
     *
     * @param id the job's id, its deduplication key within the queue
     * @param payload the job's input, serialized with the payload serde
     * @param options per-job delay, priority, attempts and result TTL; ignored for an existing id
     * @return whether a job was created or one with {@code id} already existed
     */
    public EnqueueResult<R> enqueue(String id, P payload, EnqueueOptions options) {
        NewJob job = newJob(id, payload, options, false);
        return toResult(job, settings.storage().enqueue(settings.name(), job));
    }

    /**
     * {@link #enqueueAsync(String, Object, EnqueueOptions)} with default options.
     *
     * @param id the job's id, its deduplication key within the queue
     * @param payload the job's input, serialized with the payload serde
     * @return a future of what {@code enqueue} would return
     */
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
      *
      * @param id the job's id, its deduplication key within the queue
      * @param payload the job's input, serialized with the payload serde
      * @param options per-job delay, priority, attempts and result TTL; ignored for an existing id
      * @return a future of what {@code enqueue} would return
     */
    public CompletableFuture<EnqueueResult<R>> enqueueAsync(String id, P payload, EnqueueOptions options) {
        NewJob job = newJob(id, payload, options, false);
        return settings.storage().enqueueAsync(settings.name(), job).thenApply(outcome -> toResult(job, outcome));
    }

    /**
     * Enqueues many jobs in one storage call; results in input order.
     *
     * @param requests the jobs to enqueue, each with its id, payload and options
     * @return one result per request, in the order of {@code requests}
     */
    public List<EnqueueResult<R>> enqueueAll(List<EnqueueRequest<P>> requests) {
        notNull(requests, "requests");
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

    /**
     * Enqueues (or finds) the job and waits up to the default timeout for its result.
     *
     * @param id the job's id, its deduplication key within the queue
     * @param payload the job's input, serialized with the payload serde
     * @return the job's result (may be {@code null})
     * @throws JobFailedException the job FAILED
     * @throws JobTimeoutException no outcome within the default timeout (the job is not cancelled)
     * @throws JobCancelledException the job was cancelled
     * @throws InterruptedException when the calling thread is interrupted while waiting
     */
    public R enqueueAndWait(String id, P payload) throws InterruptedException {
        return enqueueAndWait(id, payload, EnqueueOptions.defaults(), settings.defaultWaitTimeout());
    }

    /**
     * Enqueues (or finds) the job and waits for its result. An already completed id returns its
     * cached result at once; an already failed id fails at once; a duplicate still on its way is
     * waited for. A timeout beyond 100 years counts as 100 years.
     *
     * @throws JobFailedException    the job FAILED (carries the persisted {@link JobError})
     * @throws JobTimeoutException   no outcome within {@code timeout} (the job is not cancelled)
     * @throws JobCancelledException the job was cancelled
      * @param id the job's id, its deduplication key within the queue
      * @param payload the job's input, serialized with the payload serde
      * @param timeout how long to wait for the outcome
      * @return the job's result (may be {@code null})
      * @throws InterruptedException when the calling thread is interrupted while waiting
     */
    public R enqueueAndWait(String id, P payload, Duration timeout) throws InterruptedException {
        return enqueueAndWait(id, payload, EnqueueOptions.defaults(), timeout);
    }

    /**
     * {@link #enqueueAndWait(String, Object, Duration)} with options and the default timeout.
     *
     * @param id the job's id, its deduplication key within the queue
     * @param payload the job's input, serialized with the payload serde
     * @param options per-job delay, priority, attempts and result TTL
     * @return the job's result (may be {@code null})
     * @throws JobFailedException the job FAILED
     * @throws JobTimeoutException no outcome within the default timeout (the job is not cancelled)
     * @throws JobCancelledException the job was cancelled
     * @throws InterruptedException when the calling thread is interrupted while waiting
     */
    public R enqueueAndWait(String id, P payload, EnqueueOptions options) throws InterruptedException {
        return enqueueAndWait(id, payload, options, settings.defaultWaitTimeout());
    }

    /**
     * {@link #enqueueAndWait(String, Object, Duration)} with per-job options.
     *
     * @param id the job's id, its deduplication key within the queue
     * @param payload the job's input, serialized with the payload serde
     * @param options per-job delay, priority, attempts and result TTL
     * @param timeout how long to wait for the outcome
     * @return the job's result (may be {@code null})
     * @throws JobFailedException the job FAILED
     * @throws JobTimeoutException no outcome within {@code timeout} (the job is not cancelled)
     * @throws JobCancelledException the job was cancelled
     * @throws InterruptedException when the calling thread is interrupted while waiting
     */
    public R enqueueAndWait(String id, P payload, EnqueueOptions options, Duration timeout) throws InterruptedException {
        // The enqueue goes through enqueueAsync as in submit(): a blocking enqueue would keep this
        // thread past its timeout while the storage does not answer (a partition, an outage).
        CompletableFuture<R> future = submit(id, payload, options, timeout);
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

    /**
     * Async {@link #enqueueAndWait(String, Object, Duration)} with the default timeout.
     *
     * @param id the job's id, its deduplication key within the queue
     * @param payload the job's input, serialized with the payload serde
     * @return a future of the job's result, failing as {@code enqueueAndWait} would throw
     */
    public CompletableFuture<R> submit(String id, P payload) {
        return submit(id, payload, EnqueueOptions.defaults(), settings.defaultWaitTimeout());
    }

    /**
     * Async {@link #enqueueAndWait(String, Object, Duration)} with options and the default timeout.
     *
     * @param id the job's id, its deduplication key within the queue
     * @param payload the job's input, serialized with the payload serde
     * @param options per-job delay, priority, attempts and result TTL
     * @return a future of the job's result, failing as {@code enqueueAndWait} would throw
     */
    public CompletableFuture<R> submit(String id, P payload, EnqueueOptions options) {
        return submit(id, payload, options, settings.defaultWaitTimeout());
    }

    /**
     * Async {@link #enqueueAndWait(String, Object, EnqueueOptions, Duration)}: the future fails with
     * the same exceptions. Cancelling the future stops waiting (the job is not cancelled).
      *
      * @param id the job's id, its deduplication key within the queue
      * @param payload the job's input, serialized with the payload serde
      * @param options per-job delay, priority, attempts and result TTL
      * @param timeout how long to wait for the outcome
      * @return a future of the job's result, failing as {@code enqueueAndWait} would throw
     */
    public CompletableFuture<R> submit(String id, P payload, EnqueueOptions options, Duration timeout) {
        Duration wait = positiveWait(timeout, "timeout");
        NewJob job = newJob(id, payload, options, true);
        // Register before enqueueing: an outcome that arrives in between must not be missed.
        CompletableFuture<R> future = waiters.register(id, wait);
        CompletableFuture<EnqueueOutcome> enqueued;
        try {
            enqueued = settings.storage().enqueueAsync(settings.name(), job);
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
                } else {
                    waiters.stored(id, future); // a deletion from now on ends this wait
                }
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            }
        });
        return future;
    }

    // ---------------------------------------------------------------- inspecting and managing

    /**
     * The job's record, or empty when unknown or expired.
     *
     * @param id the job's id
     * @return the job's state, attempts, result and error as stored
     */
    public Optional<JobStatus<R>> status(String id) {
        requireId(id);
        return operations.status(id);
    }

    /**
     * The result of a COMPLETED job (empty when not completed, unknown, or the result is null).
     *
     * @param id the job's id
     * @return the deserialized result
     */
    public Optional<R> result(String id) {
        return status(id).filter(s -> s.state() == JobState.COMPLETED).map(JobStatus::result);
    }

    /**
     * The persisted error of a FAILED job, or the last error of a FAILING one.
     *
     * @param id the job's id
     * @return the error; empty for other states and unknown ids
     */
    public Optional<JobError> error(String id) {
        return status(id).map(JobStatus::error);
    }

    /**
     * Cancels a job that has not finished: a waiting (QUEUED, DELAYED or FAILING) one, or a running
     * (PROCESSING) one, whose handler is interrupted within about a second wherever it runs
     * ({@link Job#isCancelled()} turns true) and whose outcome is then discarded. Callers waiting
     * for the job end with {@link JobCancelledException}. See {@link CancelResult} for the other cases.
     *
     * @param id the job's id
     * @return whether the job was cancelled, and if not why
     */
    public CancelResult cancel(String id) {
        requireId(id);
        CancelResult r = settings.storage().cancel(settings.name(), id);
        if (r == CancelResult.CANCELLED) {
            settings.listener().cancelled(id);
        }
        return r;
    }

    /**
     * Makes a COMPLETED or FAILED record expire {@code ttl} (> 0, at most 100 years) from now.
     *
     * @param id the job's id
     * @param ttl the new retention, counted from now
     * @return whether the TTL was changed, and if not why
     */
    public TtlUpdateResult updateResultTtl(String id, Duration ttl) {
        requireId(id);
        positive(ttl, "ttl");
        return settings.storage().updateResultTtl(settings.name(), id, ttl);
    }

    /**
     * Live jobs per state (every state present).
     *
     * @return the number of jobs in each state
     */
    public Map<JobState, Long> counts() {
        return settings.storage().counts(settings.name());
    }

    // ---------------------------------------------------------------- operating

    /**
     * {@link #list(JobState, ListOrder, String, int)} from the first page.
     *
     * <!-- snippet: queue-list -->
     * <pre>{@code
     * JobPage<Order, Receipt> page = queue.list(JobState.FAILED, ListOrder.NEWEST_FIRST, 20);
     * page.jobs().forEach(job -> System.out.println(job.id() + " " + job.error().message()));
     * }</pre>
     *
     * @param state the state to list
     * @param order oldest or newest first, along the order of {@link ListOrder}
     * @param limit the most jobs to return (>= 1)
     * @return the first page
     */
    public JobPage<P, R> list(JobState state, ListOrder order, int limit) {
        return list(state, order, null, limit);
    }

    /**
     * One page of the jobs in {@code state}, with payload, metadata, error and times, continuing
     * after {@code cursor}; see {@link JobPage} for the paging loop and {@link ListOrder} for the
     * order of each state. Each call reads at most {@code limit} jobs from the storage. A payload
     * or result this queue cannot deserialize shows as {@code null} with a
     * {@link JobInfo#decodeError()}, and does not fail the listing.
     *
     * @param state the state to list
     * @param order oldest or newest first
     * @param cursor {@code null} for the first page, else the {@link JobPage#nextCursor()} of the
     *        previous page of the same state and order
     * @param limit the most jobs to return (>= 1)
     * @return the page
     * @throws IllegalArgumentException naming {@code cursor} when it is empty, malformed or was
     *         made for another state or order
     */
    public JobPage<P, R> list(JobState state, ListOrder order, String cursor, int limit) {
        notNull(state, "state");
        notNull(order, "order");
        check(cursor == null || !cursor.isEmpty(), "cursor must not be empty (null starts at the first page)");
        check(limit >= 1, "limit must be >= 1, got " + limit);
        return operations.list(state, order, cursor, limit);
    }

    /**
     * One job with everything stored about it: {@link #status} plus the payload, worker and lease.
     *
     * @param id the job's id
     * @return the job, or empty when unknown, deleted or expired
     */
    public Optional<JobInfo<P, R>> inspect(String id) {
        requireId(id);
        return operations.inspect(id);
    }

    /**
     * Runs a FAILED or CANCELLED job again: in one atomic step it becomes QUEUED (at the end of
     * its priority's line) with the same id, payload, metadata and limits, its attempts and stalls
     * back to 0 and its error and result cleared. Wait for it as for any job, e.g. with
     * {@code enqueueAndWait(id, payload)} (the id is taken, so that only waits).
     *
     * @param id the job's id
     * @return {@code RETRIED}; {@code NOT_FOUND}; or {@code NOT_RETRYABLE} (waiting, running or
     *         completed: nothing changed)
     */
    public RetryResult retry(String id) {
        requireId(id);
        return operations.retry(id);
    }

    /**
     * {@link #retry} for every job in {@code state} (FAILED or CANCELLED), oldest first, in pages
     * of 100 jobs per storage call. It retries at most as many jobs as the state held when it
     * started, so jobs that fail again meanwhile are not retried round and round. Each job is
     * retried at most once per page and none is lost if the call stops part way: when the calling
     * thread is interrupted it stops after the current page and returns the number retried so far,
     * with the thread's interrupt status still set.
     *
     * <!-- snippet: queue-retry-all -->
     * <pre>{@code
     * long retried = queue.retryAll(JobState.FAILED);
     * log.info("{} failed jobs queued again", retried);
     * }</pre>
     *
     * @param state FAILED or CANCELLED
     * @return how many jobs were retried
     * @throws IllegalArgumentException naming {@code state} for any other state
     */
    public long retryAll(JobState state) {
        notNull(state, "state");
        check(state == JobState.FAILED || state == JobState.CANCELLED, "state must be FAILED or CANCELLED, got " + state);
        return operations.retryAll(state);
    }

    /**
     * Deletes a job that no worker holds, in any other state: its record, payload, result and
     * error are gone and the id is free for a new job. Callers waiting for a deleted waiting job
     * (enqueueAndWait, submit) end with {@link JobCancelledException}.
     *
     * @param id the job's id
     * @return {@code DELETED}, {@code NOT_FOUND}, or {@code PROCESSING} (running: nothing changed;
     *         {@link #cancel} it first, or wait for it to finish)
     */
    public DeleteResult delete(String id) {
        requireId(id);
        return operations.delete(id);
    }

    /**
     * {@link #delete} for every job in {@code state} (not PROCESSING), oldest first, in pages of
     * 500 jobs per storage call, so no single storage step grows with the size of the state. Like
     * {@link #retryAll}, it deletes at most as many jobs as the state held when it started, and an
     * interrupt stops it after the current page (returning the count so far, interrupt status set).
     *
     * <!-- snippet: queue-purge -->
     * <pre>{@code
     * long deleted = queue.purge(JobState.COMPLETED);
     * }</pre>
     *
     * @param state the state to empty; not PROCESSING
     * @return how many jobs were deleted
     * @throws IllegalArgumentException naming {@code state} for PROCESSING
     */
    public long purge(JobState state) {
        notNull(state, "state");
        check(state != JobState.PROCESSING, "state must not be PROCESSING: running jobs cannot be purged");
        return operations.purge(state);
    }

    /**
     * Makes a DELAYED job (or a FAILING one waiting out its backoff) QUEUED now, at the end of its
     * priority's line.
     *
     * @param id the job's id
     * @return {@code PROMOTED}, {@code NOT_FOUND}, or {@code NOT_DELAYED} (nothing changed)
     */
    public PromoteResult promote(String id) {
        requireId(id);
        return operations.promote(id);
    }

    /**
     * Pauses the queue for every process and host that serves it (the flag is kept in the storage
     * and survives restarts of durable storages): workers claim nothing until {@link #resume()},
     * while jobs they already hold run to the end. Enqueueing, status, cancel, listing and the
     * other operations go on as usual.
     *
     * <!-- snippet: queue-pause -->
     * <pre>{@code
     * queue.pause();                 // every worker of "orders", on every host, stops taking jobs
     * try {
     *     repairDownstream();
     * } finally {
     *     queue.resume();            // idle workers claim again within milliseconds
     * }
     * }</pre>
     *
     * @return whether this call paused it (false when it already was paused)
     */
    public boolean pause() {
        return operations.setPaused(true);
    }

    /**
     * Ends a {@link #pause()}: idle workers everywhere are woken and claim at once.
     *
     * @return whether this call resumed it (false when it was not paused)
     */
    public boolean resume() {
        return operations.setPaused(false);
    }

    /**
     * Whether the queue is paused, by this or any other process.
     *
     * @return true while paused
     */
    public boolean isPaused() {
        return operations.isPaused();
    }

    // ---------------------------------------------------------------- flow control (execution control)

    /**
     * Sets the queue's flow-control limits for every process and host that serves it (kept in
     * the storage; the last writer wins, also over {@link Builder#limits} of queues started
     * later). {@link QueueLimits#NONE} removes them. Jobs already running are not stopped.
     *
     * <!-- snippet: queue-set-limits -->
     * <pre>{@code
     * queue.setLimits(QueueLimits.NONE.withMaxRunning(4).withRate(100, Duration.ofMinutes(1)));
     * }</pre>
     *
     * @param limits the new limits; not {@code null}
     */
    public void setLimits(QueueLimits limits) {
        settings.storage().setLimits(settings.name(), notNull(limits, "limits"));
    }

    /**
     * The queue's flow-control limits as the storage holds them.
     *
     * @return the limits; {@link QueueLimits#NONE} when none are set
     */
    public QueueLimits limits() {
        return settings.storage().limits(settings.name());
    }

    /**
     * Holds back every claim of this queue, on every process and host, for {@code duration} (a
     * later end already in force wins). Handlers can do the same by throwing
     * {@link BackOffException}. Running jobs and enqueues are unaffected.
     *
     * @param duration how long no job of the queue starts (&gt; 0, at most 1 day)
     * @return when claims may resume (storage clock)
     */
    public java.time.Instant throttle(Duration duration) {
        positive(duration, "duration");
        check(duration.compareTo(Duration.ofDays(1)) <= 0, "duration must be at most 1 day, got " + duration);
        return settings.storage().throttle(settings.name(), duration);
    }

    /**
     * The queue's name (its namespace on the storage).
     *
     * @return the name
     */
    public String name() {
        return settings.name();
    }

    /**
     * The id this queue's worker claims jobs under.
     *
     * @return the worker id, also the lease owner shown in job records
     */
    public String workerId() {
        return settings.workerId();
    }

    /**
     * Callers currently waiting in enqueueAndWait/submit (each wait ends with an outcome or its timeout).
     *
     * @return the number of waits in progress in this process
     */
    public int waitingCallers() {
        return waiters.size();
    }

    // ---------------------------------------------------------------- internals

    private NewJob newJob(String id, P payload, EnqueueOptions options, boolean notifyOnTerminal) {
        requireId(id);
        notNull(options, "options");
        byte[] bytes = settings.payloadSerde().serialize(payload);
        int maxAttempts = options.maxAttempts() != null ? options.maxAttempts() : settings.maxAttempts();
        Duration ttl = options.resultTtl() != null ? options.resultTtl() : settings.resultTtl();
        Duration delay = options.delay() != null ? options.delay() : Duration.ZERO;
        Map<String, String> metadata = options.storedMetadata(
                settings.interceptors().beforeEnqueue(settings.name(), id, options.metadata()));
        return new NewJob(id, bytes, options.priority(), delay, options.runAt(), maxAttempts, settings.maxStalls(), ttl,
                notifyOnTerminal, metadata);
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

    private static void requireId(String id) {
        // The storage checks again; checking here too keeps a bad id from registering a waiter first.
        CheckedStorage.requireValidName(id, "id");
    }


    /**
     * Builder of a {@link Queue}. Like every builder of this library it is mutable: each setter
     * validates its option at once (an {@link IllegalArgumentException} naming the option) and
     * returns this builder, so chaining and separate statements work alike. {@link #build()}
     * snapshots the options: changing the builder afterwards does not affect a built queue, and
     * building twice gives two independent queues (each with its own default workerId). Not
     * thread-safe.
     *
     * <!-- snippet: queue-builder -->
     * <pre>{@code
     * Queue.Builder<Order, Receipt> b = Queue.builder(storage, Order.class, Receipt.class).name("orders");
     * Queue<Order, Receipt> producer = b.build();
     * b.concurrency(4);
     * b.handler(job -> charge(job.payload()));
     * Queue<Order, Receipt> consumer = b.build();   // producer is unaffected: still without handler
     * }</pre>
     *
     * <p>Defaults: name "default", concurrency 1, prefetch = concurrency, maxAttempts 3, {@link Backoff#defaultBackoff()},
     * visibilityTimeout 30 s, maxStalls 3, resultTtl 1 h, JSON serdes on the default object mapper, no handler
     * (producer-only), logger {@code dev.jobqueue.Queue}, system UTC clock, workerId host-pid-random,
     * shutdownGrace 30 s, defaultWaitTimeout 30 s, closeOnJvmShutdown on; no execution timeout, timeoutGrace 10 s,
     * every failure retryable, the queue's own platform threads.
     *
     * <p>Durations that become storage deadlines (visibilityTimeout, resultTtl, backoff) may be at
     * most 100 years; waits (shutdownGrace, defaultWaitTimeout) longer than that are treated as 100 years.
     */
    public static final class Builder<P, R> {
        private final QueueSettings.Builder<P, R> settings;
        // ---- recurring schedules and batch handlers (helper sched)
        private Duration schedulePollInterval = Duration.ofSeconds(1);
        private Duration misfireThreshold = Duration.ofSeconds(60);
        private BatchSettings<P, R> batchSettings;
        // ---- end

        private Builder(Storage storage, Function<ObjectMapper, Serde<P>> payloadJson,
                        Function<ObjectMapper, Serde<R>> resultJson) {
            this.settings = QueueSettings.builder(CheckedStorage.of(notNull(storage, "storage")), payloadJson, resultJson);
        }

        /**
         * Namespace on the storage: {@code [A-Za-z0-9._-]{1,128}} (it sits inside Redis key hash tags, so braces and other punctuation are excluded).
         *
         * @param name the queue's name; producers and workers of one queue use the same
         * @return this builder
         */
        public Builder<P, R> name(String name) {
            settings.name(queueName(name));
            return this;
        }

        /**
         * Handler threads (>= 1).
         *
         * @param concurrency how many jobs this queue's worker runs at once
         * @return this builder
         */
        public Builder<P, R> concurrency(int concurrency) {
            check(concurrency >= 1, "concurrency must be >= 1, got " + concurrency);
            settings.concurrency(concurrency);
            return this;
        }

        /**
         * Jobs a worker may claim ahead of its free handlers (>= 0; default: the concurrency), so
         * that a handler finishing a job finds the next one at hand instead of waiting for a storage
         * round trip. Claiming ahead is on only while handlers average under 1 ms per job: for
         * longer jobs it would gain little and keep work from idle workers elsewhere, so the worker
         * then claims only for idle handlers. Claimed-ahead jobs are leased and heartbeated like
         * running ones and go back to the queue at once on stop. 0 turns claiming ahead off.
          *
          * @param prefetch the most jobs claimed beyond the free handlers
          * @return this builder
         */
        public Builder<P, R> prefetch(int prefetch) {
            check(prefetch >= 0, "prefetch must be >= 0, got " + prefetch);
            settings.prefetch(prefetch);
            return this;
        }

        /**
         * Attempts (>= 1) of each job this queue <em>enqueues</em> unless its
         * {@link EnqueueOptions.Builder#maxAttempts(int) EnqueueOptions} say otherwise. The number is
         * stored with the job at enqueue: the producer's queue decides it, not the queue of the
         * worker that runs the job, so setting it on a worker-only queue does not change jobs that
         * other processes enqueue. The same holds for {@link #maxStalls} and {@link #resultTtl}.
          *
          * @param maxAttempts how many times a job may be run before it is failed for good
          * @return this builder
         */
        public Builder<P, R> maxAttempts(int maxAttempts) {
            check(maxAttempts >= 1, "maxAttempts must be >= 1, got " + maxAttempts);
            settings.maxAttempts(maxAttempts);
            return this;
        }

        /**
         * Delay before each retry of a job this queue's worker runs.
         *
         * @param backoff the retry delays; not {@code null}
         * @return this builder
         */
        public Builder<P, R> backoff(Backoff backoff) {
            settings.backoff(notNull(backoff, "backoff"));
            return this;
        }

        /**
         * Lease length of a claim (> 0, at most 100 years); live workers extend it every third of it.
         *
         * @param visibilityTimeout how long a claimed job stays leased without a heartbeat
         * @return this builder
         */
        public Builder<P, R> visibilityTimeout(Duration visibilityTimeout) {
            settings.visibilityTimeout(positive(visibilityTimeout, "visibilityTimeout"));
            return this;
        }

        /**
         * Lease expiries a job survives (>= 0); the next one fails it "stalled too often". Like
         * {@link #maxAttempts}, fixed into each job by the queue that enqueues it.
          *
          * @param maxStalls how many lease expiries a job survives
          * @return this builder
         */
        public Builder<P, R> maxStalls(int maxStalls) {
            check(maxStalls >= 0, "maxStalls must be >= 0, got " + maxStalls);
            settings.maxStalls(maxStalls);
            return this;
        }

        /**
         * Default time COMPLETED/FAILED records (and their dedup) are kept (> 0, at most 100 years),
         * fixed into each job by the queue that enqueues it.
          *
          * @param resultTtl retention of a terminal job, counted from when it became terminal
          * @return this builder
         */
        public Builder<P, R> resultTtl(Duration resultTtl) {
            settings.resultTtl(positive(resultTtl, "resultTtl"));
            return this;
        }

        /**
         * The Jackson mapper of this queue's JSON payload and result serdes, e.g. one with the
         * modules and naming your application uses. Default: one shared mapper with the Jackson
         * modules found on the class path ({@code findAndRegisterModules()}). Keep polymorphic
         * default typing off on it: a payload must never name a class to instantiate. Serdes set
         * with {@link #payloadSerde}/{@link #resultSerde} win over it.
         *
         * <!-- snippet: queue-object-mapper -->
         * <pre>{@code
         * ObjectMapper mapper = JsonMapper.builder().findAndAddModules()
         *         .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
         * Queue.builder(storage, Order.class, Receipt.class).objectMapper(mapper).build();
         * }</pre>
          *
          * @param objectMapper the mapper the default JSON serdes use; not {@code null}
          * @return this builder
         */
        public Builder<P, R> objectMapper(ObjectMapper objectMapper) {
            settings.objectMapper(notNull(objectMapper, "objectMapper"));
            return this;
        }

        /**
         * Payload (de)serialization; replaces the JSON default.
         *
         * @param payloadSerde turns payloads into bytes and back
         * @return this builder
         */
        public Builder<P, R> payloadSerde(Serde<P> payloadSerde) {
            settings.payloadSerde(notNull(payloadSerde, "payloadSerde"));
            return this;
        }

        /**
         * Result (de)serialization; replaces the JSON default.
         *
         * @param resultSerde turns results into bytes and back
         * @return this builder
         */
        public Builder<P, R> resultSerde(Serde<R> resultSerde) {
            settings.resultSerde(notNull(resultSerde, "resultSerde"));
            return this;
        }

        /**
         * The job handler; without one the queue is producer-only.
         *
         * @param handler runs each claimed job and returns its result
         * @return this builder
         */
        public Builder<P, R> handler(JobHandler<P, R> handler) {
            settings.handler(notNull(handler, "handler"));
            return this;
        }

        /**
         * A hook that sees (and may change) each attempt's outcome before it is stored.
         *
         * @param afterExecution the hook
         * @return this builder
         */
        public Builder<P, R> afterExecution(AfterExecution<P, R> afterExecution) {
            settings.afterExecution(notNull(afterExecution, "afterExecution"));
            return this;
        }

        /**
         * Adds a listener (several allowed; called in the order added, each event to every one
         * even when an earlier one throws), so metrics, tracing and your own listeners coexist.
         *
         * @param listener told of the queue's job events; not {@code null}
         * @return this builder
         */
        public Builder<P, R> listener(QueueListener listener) {
            settings.addListener(notNull(listener, "listener"));
            return this;
        }

        /**
         * Where the queue logs.
         *
         * @param logger the SLF4J logger; not {@code null}
         * @return this builder
         */
        public Builder<P, R> logger(Logger logger) {
            settings.logger(notNull(logger, "logger"));
            return this;
        }

        /**
         * Clock for the timestamps this queue writes (error times); storages keep their own clock.
         *
         * @param clock the clock; not {@code null}
         * @return this builder
         */
        public Builder<P, R> clock(Clock clock) {
            settings.clock(notNull(clock, "clock"));
            return this;
        }

        /**
         * The id claims are made under (non-blank); default host-pid-random, unique per built queue.
         *
         * @param workerId the lease owner name of this queue's claims
         * @return this builder
         */
        public Builder<P, R> workerId(String workerId) {
            settings.workerId(CheckedStorage.requireValidName(nonBlank(workerId, "workerId"), "workerId"));
            return this;
        }

        /**
         * Grace period of {@link Queue#close()} (>= 0), also on JVM shutdown.
         *
         * @param shutdownGrace how long running jobs may take to finish on close
         * @return this builder
         */
        public Builder<P, R> shutdownGrace(Duration shutdownGrace) {
            settings.shutdownGrace(nonNegativeWait(shutdownGrace, "shutdownGrace"));
            return this;
        }

        /**
         * Timeout of enqueueAndWait/submit when none is given (> 0).
         *
         * @param defaultWaitTimeout how long a wait without its own timeout lasts
         * @return this builder
         */
        public Builder<P, R> defaultWaitTimeout(Duration defaultWaitTimeout) {
            settings.defaultWaitTimeout(positiveWait(defaultWaitTimeout, "defaultWaitTimeout"));
            return this;
        }

        /**
         * Whether a started queue with a handler closes itself when the JVM shuts down (SIGTERM,
         * Ctrl-C, {@code System.exit}); default on. Then its running jobs get
         * {@link #shutdownGrace} to finish and the rest go back to the queue at once, instead of
         * waiting out their lease in a dead process. The hook is registered by
         * {@link Queue#start()} and removed by {@link Queue#stop}, so queues that are stopped
         * leave none behind. Turn it off when the application closes its queues itself, in an
         * order of its own, from its own shutdown hook. Hooks run concurrently, so keep the storage
         * open meanwhile: do not close it from a hook of your own. SIGKILL runs no hook: then the
         * lease and a {@link Reaper} bring the jobs back.
          *
          * @param closeOnJvmShutdown whether to register the shutdown hook on start
          * @return this builder
         */
        public Builder<P, R> closeOnJvmShutdown(boolean closeOnJvmShutdown) {
            settings.closeOnJvmShutdown(closeOnJvmShutdown);
            return this;
        }

        /**
         * Adds an interceptor (several allowed): its {@link JobInterceptor#beforeEnqueue} runs on the
         * producer's thread for every enqueue of this queue (enqueue, enqueueAsync, enqueueAll,
         * enqueueAndWait, submit), before the job is stored, and may add metadata; its
         * {@link JobInterceptor#aroundAttempt} wraps every handler call of this queue's worker on
         * the handler thread. The first added is outermost (its beforeEnqueue runs first, its
         * aroundAttempt sees the others inside it); the built-in MDC support ({@link #mdc}) is
         * outside all of them. What the handler throws passes through the interceptors to the
         * usual retry and failure handling; an interceptor that throws fails the attempt as the
         * handler would, and one whose beforeEnqueue throws fails that enqueue.
         *
         * @param interceptor the interceptor; not {@code null}
         * @return this builder
         */
        public Builder<P, R> interceptor(JobInterceptor interceptor) {
            settings.addInterceptor(notNull(interceptor, "interceptor"));
            return this;
        }

        /**
         * Whether handlers run with the job in SLF4J's MDC; default on. While a handler runs (and
         * the interceptors around it), MDC holds {@code jobqueue.jobId}, {@code jobqueue.queue},
         * {@code jobqueue.attempt} and, for every metadata entry named {@code mdc.<key>} (see
         * {@link #propagateMdc}), {@code <key>}; afterwards each of those keys has its previous
         * value again (or none), also when the handler throws. It works on the MDC of the SLF4J
         * binding in use; with one that has none (slf4j-simple, slf4j-nop) the queue skips it.
         *
         * @param mdc whether to set the MDC around handlers
         * @return this builder
         */
        public Builder<P, R> mdc(boolean mdc) {
            settings.mdc(mdc);
            return this;
        }

        /**
         * MDC keys of the producer's thread to carry to the handler: at enqueue, the value each of
         * these keys has in the calling thread's MDC (when it has one) is stored in the job's
         * metadata as {@code mdc.<key>} (an entry of that name set in {@link EnqueueOptions} wins),
         * and a worker with {@link #mdc} on puts it back into MDC as {@code <key>} while the
         * handler runs, in this or any other process. Replaces the keys set before; none by
         * default. The values count against the metadata bounds of {@link JobMetadata}.
         *
         * <!-- snippet: queue-propagate-mdc -->
         * <pre>{@code
         * Queue<Order, Receipt> orders = Queue.builder(storage, Order.class, Receipt.class)
         *         .propagateMdc("requestId", "user")
         *         .handler(job -> {
         *             log.info("charging");   // logged with requestId and user of the enqueueing request
         *             return payments.charge(job.payload());
         *         })
         *         .build();
         * }</pre>
         *
         * @param keys the MDC keys; each non-empty
         * @return this builder
         */
        public Builder<P, R> propagateMdc(String... keys) {
            notNull(keys, "propagateMdc keys");
            List<String> list = new ArrayList<>(keys.length);
            for (String key : keys) {
                check(key != null && !key.isEmpty(), "propagateMdc keys must not contain null or empty keys");
                list.add(key);
            }
            settings.propagateMdc(list);
            return this;
        }

        // ---- recurring schedules and batch handlers (helper sched)

        /**
         * How often a started queue asks the storage for due {@link Schedule schedules} (> 0;
         * default 1 s). Each poll is one cheap storage call when nothing is due; a schedule fires
         * up to this late.
         *
         * @param schedulePollInterval the time between two polls
         * @return this builder
         */
        public Builder<P, R> schedulePollInterval(Duration schedulePollInterval) {
            this.schedulePollInterval = positive(schedulePollInterval, "schedulePollInterval");
            return this;
        }

        /**
         * How late a schedule's fire time may be found before it counts as missed (> 0; default
         * 60 s): later than this, the schedule's {@link MisfirePolicy} decides whether its job still
         * runs. Keep it well above {@link #schedulePollInterval}.
         *
         * @param misfireThreshold the lateness from which a fire time is a misfire
         * @return this builder
         */
        public Builder<P, R> misfireThreshold(Duration misfireThreshold) {
            this.misfireThreshold = positive(misfireThreshold, "misfireThreshold");
            return this;
        }

        /**
         * Runs jobs in batches instead of one by one (see {@link BatchHandler}): each of the
         * {@link #concurrency} batch threads claims up to {@code maxJobs} jobs, waits up to
         * {@code maxWait} for more when fewer were there, and calls the handler once with them. A
         * queue has either a {@link #handler} or a batch handler ({@link #build()} throws otherwise).
         *
         * <!-- snippet: queue-batch-handler -->
         * <pre>{@code
         * Queue<AuditEvent, Void> audit = Queue.builder(storage, AuditEvent.class, Void.class)
         *         .batchHandler(batch -> {
         *             auditStore.insertAll(batch.jobs().stream().map(Job::payload).toList());
         *             batch.jobs().forEach(job -> batch.complete(job, null));
         *         }, 100, Duration.ofSeconds(5))   // 100 per batch, or what came within 5 s
         *         .build();
         * }</pre>
         *
         * @param batchHandler the handler
         * @param maxJobs the most jobs per batch (1 to 1,000)
         * @param maxWait how long a batch that has its first job waits for more (>= 0)
         * @return this builder
         */
        public Builder<P, R> batchHandler(BatchHandler<P, R> batchHandler, int maxJobs, Duration maxWait) {
            notNull(batchHandler, "batchHandler");
            check(maxJobs >= 1 && maxJobs <= BatchSettings.MAX_JOBS,
                    "maxJobs must be between 1 and " + BatchSettings.MAX_JOBS + ", got " + maxJobs);
            this.batchSettings = new BatchSettings<>(batchHandler, maxJobs, nonNegativeWait(maxWait, "maxWait"));
            return this;
        }

        // ---- end of recurring schedules and batch handlers

        // ------------------------------------------------------------ execution control

        /**
         * Execution timeout of every attempt this queue's worker runs (&gt; 0, at most 100 years;
         * default none), unless the job has its own ({@link EnqueueOptions.Builder#timeout}). When
         * an attempt runs longer, its handler thread is interrupted, {@link Job#isCancelled()}
         * turns true, and the attempt fails with a {@link JobError} whose code is
         * {@link JobError#TIMEOUT} ({@link ExecutionTimeoutException}), retried or failed like any
         * failure. A handler still running {@link #timeoutGrace} after the interrupt is reported
         * unresponsive (WARN log, {@link QueueListener#handlerUnresponsive}): its TIMEOUT failure is
         * recorded at once and its lease no longer extended, so the job goes on elsewhere, while
         * its worker slot stays taken until the thread really returns: a thread that ignores
         * interrupts cannot be stopped, and freeing its slot would let such threads pile up
         * beyond {@link #concurrency}. Whatever it returns then is discarded.
         *
         * <!-- snippet: queue-timeout -->
         * <pre>{@code
         * Queue<Order, Receipt> queue = Queue.builder(storage, Order.class, Receipt.class)
         *         .timeout(Duration.ofSeconds(30))        // interrupt attempts after 30 s: TIMEOUT failure
         *         .timeoutGrace(Duration.ofSeconds(5))    // report handlers that ignore the interrupt 5 s later
         *         .handler(job -> payments.charge(job.payload()))
         *         .build();
         * }</pre>
         *
         * @param timeout the longest an attempt may run
         * @return this builder
         */
        public Builder<P, R> timeout(Duration timeout) {
            settings.timeout(positive(timeout, "timeout"));
            return this;
        }

        /**
         * How long a handler interrupted by its {@link #timeout} may take to return before it is
         * reported unresponsive and its TIMEOUT failure is recorded without it (&gt;= 0, at most
         * 100 years; default 10 s). Its lease is extended until then.
         *
         * @param timeoutGrace the wait after the timeout's interrupt
         * @return this builder
         */
        public Builder<P, R> timeoutGrace(Duration timeoutGrace) {
            settings.timeoutGrace(Arguments.nonNegative(timeoutGrace, "timeoutGrace"));
            return this;
        }

        /**
         * Flow-control limits this queue writes to the storage when it {@link Queue#start() starts}
         * (producer-only queues too): they then hold for every process and host serving the queue.
         * The last writer wins: a queue started later with other limits, or
         * {@link Queue#setLimits}, replaces them; so set them in one place. Default: the queue
         * leaves the stored limits as they are.
         *
         * <!-- snippet: queue-builder-limits -->
         * <pre>{@code
         * Queue<Mail, Void> mails = Queue.builder(storage, Mail.class, Void.class).name("mails")
         *         .limits(QueueLimits.NONE.withMaxRunning(10).withRate(50, Duration.ofSeconds(1)))
         *         .handler(job -> mailer.send(job.payload()))
         *         .build();
         * }</pre>
         *
         * @param limits the limits to write at start; not {@code null}
         * @return this builder
         */
        public Builder<P, R> limits(QueueLimits limits) {
            settings.limits(notNull(limits, "limits"));
            return this;
        }

        /**
         * Which failures may be retried (when attempts are left): those for which {@code retryIf}
         * is true. The others fail the job at once (FAILED, error persisted), as do
         * {@link NonRetryableException} and the {@link #nonRetryable} types whatever the
         * predicate says. A predicate that throws counts as true. Replaces an earlier predicate.
         *
         * <!-- snippet: queue-retry-if -->
         * <pre>{@code
         * Queue<Order, Receipt> queue = Queue.builder(storage, Order.class, Receipt.class)
         *         .retryIf(t -> !(t instanceof HttpStatusException h) || h.status() >= 500)   // 4xx: fail at once
         *         .nonRetryable(IllegalArgumentException.class)
         *         .handler(job -> payments.charge(job.payload()))
         *         .build();
         * }</pre>
         *
         * @param retryIf tells whether a handler's failure may be retried; not {@code null}
         * @return this builder
         */
        public Builder<P, R> retryIf(java.util.function.Predicate<Throwable> retryIf) {
            settings.retryIf(notNull(retryIf, "retryIf"));
            return this;
        }

        /**
         * Failure types (and their subtypes) that fail the job at once, without retries. Replaces
         * the types set before.
         *
         * @param types the non-retryable exception types; none null
         * @return this builder
         */
        @SafeVarargs
        public final Builder<P, R> nonRetryable(Class<? extends Throwable>... types) {
            notNull(types, "nonRetryable types");
            List<Class<? extends Throwable>> list = new ArrayList<>(types.length);
            for (Class<? extends Throwable> t : types) {
                check(t != null, "nonRetryable types must not contain null");
                list.add(t);
            }
            settings.nonRetryable(list);
            return this;
        }

        /**
         * Runs the handlers on the application's executor instead of the queue's own threads. The
         * queue runs {@link #concurrency} long-lived handler loops on it (each loop is one worker
         * slot and ends when the queue stops), so the executor must be able to run that many
         * tasks of this queue at once (a thread-per-task executor, or a pool with enough threads).
         * The queue never shuts it down. Not together with {@link #virtualThreads}.
         *
         * <!-- snippet: queue-executor -->
         * <pre>{@code
         * ExecutorService handlers = Executors.newFixedThreadPool(8, namedThreads);   // owned by the application
         * Queue<Order, Receipt> queue = Queue.builder(storage, Order.class, Receipt.class)
         *         .concurrency(8)
         *         .executor(handlers)
         *         .handler(job -> payments.charge(job.payload()))
         *         .build();
         * }</pre>
         *
         * @param executor runs the handler loops; not {@code null}
         * @return this builder
         */
        public Builder<P, R> executor(java.util.concurrent.Executor executor) {
            settings.executor(notNull(executor, "executor"));
            return this;
        }

        /**
         * Whether handlers run on virtual threads (Java 21 and later); default off. Concurrency is
         * still bounded by {@link #concurrency}, which can then be high for handlers that mostly
         * wait on I/O. On Java 17 to 20 {@link #build()} fails with an
         * {@link IllegalArgumentException} naming this option and the Java version. Not together
         * with {@link #executor}.
         *
         * <!-- snippet: queue-virtual-threads -->
         * <pre>{@code
         * Queue<Order, Receipt> queue = Queue.builder(storage, Order.class, Receipt.class)
         *         .virtualThreads(true)     // Java 21+
         *         .concurrency(500)         // jobs that mostly wait on HTTP calls
         *         .handler(job -> payments.charge(job.payload()))
         *         .build();
         * }</pre>
         *
         * @param virtualThreads whether to run handlers on virtual threads
         * @return this builder
         */
        public Builder<P, R> virtualThreads(boolean virtualThreads) {
            settings.virtualThreads(virtualThreads);
            return this;
        }

        /**
         * A new queue with the options set so far; the builder may be changed and used again.
         *
         * @return a new, not yet started queue
         * @throws IllegalArgumentException naming the option when options conflict: both a handler
         *         and a batch handler; a batch handler with {@code timeout}, {@code executor} or
         *         {@code virtualThreads} (not supported for batches yet); {@code virtualThreads(true)}
         *         on a Java release without virtual threads, or together with an {@code executor}
         */
        public Queue<P, R> build() {
            if (batchSettings != null) {
                // Batches run on the queue's own threads without a per-attempt watchdog: refuse
                // rather than silently ignore these options.
                check(settings.timeout() == null,
                        "timeout is not supported with batchHandler yet: a batch has no execution timeout");
                check(settings.executor() == null,
                        "executor(...) is not supported with batchHandler yet: batches run on the queue's own threads");
                check(!settings.virtualThreads(),
                        "virtualThreads(true) is not supported with batchHandler yet: batches run on the queue's own threads");
            }
            if (settings.virtualThreads()) {
                check(settings.executor() == null, "virtualThreads(true) and executor(...) exclude each other: choose one");
                VirtualThreads.requireAvailable();
            }
            QueueSettings<P, R> built = settings.build();
            check(built.handler() == null || batchSettings == null,
                    "handler and batchHandler are both set; a queue has one or the other");
            return new Queue<>(built, schedulePollInterval, misfireThreshold, batchSettings);
        }
    }

    @Override
    public String toString() {
        return "Queue[" + settings.name() + ", worker " + settings.workerId() + "]";
    }
}
