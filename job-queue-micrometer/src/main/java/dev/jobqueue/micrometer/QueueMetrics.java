package dev.jobqueue.micrometer;

import dev.jobqueue.AttemptTiming;
import dev.jobqueue.JobError;
import dev.jobqueue.JobState;
import dev.jobqueue.QueueListener;
import dev.jobqueue.ReaperListener;
import dev.jobqueue.spi.CheckedStorage;
import dev.jobqueue.spi.StalledJob;
import dev.jobqueue.spi.Storage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * Micrometer metrics of one queue: a {@link QueueListener} (register it on the queue's builder)
 * and a {@link ReaperListener} (register it on the queue's {@link dev.jobqueue.Reaper}) that count
 * and time job events, and a {@link MeterBinder} whose gauges show the jobs per state and the
 * paused flag, read from the storage when scraped.
 *
 * <!-- snippet: queue-metrics -->
 * <pre>{@code
 * QueueMetrics metrics = QueueMetrics.builder(storage).name("orders").build();
 * metrics.bindTo(registry);
 * Queue<Order, Receipt> queue = Queue.builder(storage, Order.class, Receipt.class).name("orders")
 *         .listener(metrics)
 *         .handler(job -> payments.charge(job.payload()))
 *         .build();
 * Reaper reaper = Reaper.builder(storage).name("orders").listener(metrics).build();
 * }</pre>
 *
 * <p>Meters (every one tagged {@code queue} plus the builder's {@link Builder#tags tags}):
 * <ul>
 *   <li>counters {@value #ENQUEUED}, {@value #COMPLETED}, {@value #FAILED}, {@value #RETRIED},
 *       {@value #LEASE_LOST} (this process's queue events) and {@value #STALLED} (the reaper's,
 *       tag {@code outcome} = {@code requeued} or {@code failed});</li>
 *   <li>timers {@value #EXECUTION} (how long each attempt's handler ran, tag {@code outcome} =
 *       {@code completed}, {@code retried} or {@code failed}) and {@value #WAIT} (how long a job
 *       waited in the queue before an attempt started, on the storage's clock);</li>
 *   <li>gauges {@value #JOBS} (tag {@code state}, one per {@link JobState} in lower case) and
 *       {@value #PAUSED} (1 while paused, else 0).</li>
 * </ul>
 *
 * <p>Counters and timers change only while bound: bind before the queue starts. Listener calls
 * are in-process (a few atomic adds per event, no storage call). The gauges read
 * {@link Storage#counts} and {@link Storage#isPaused} at most once per {@link Builder#countsCacheTtl
 * countsCacheTtl} per registry however often or by how many registries they are scraped (on Redis:
 * one script call and one command per TTL); when a read fails they show NaN until the next read.
 *
 * <p>One instance serves one queue name: register it on the listeners of that queue's
 * {@code Queue} and {@code Reaper} only. Immutable apart from the meters it has bound;
 * thread-safe.
 */
public final class QueueMetrics implements MeterBinder, QueueListener, ReaperListener {
    /** Counter of jobs created by this process's enqueues (duplicates not counted). */
    public static final String ENQUEUED = "jobqueue.jobs.enqueued";
    /** Counter of jobs completed by this process's workers. */
    public static final String COMPLETED = "jobqueue.jobs.completed";
    /** Counter of jobs that failed for good on this process's workers. */
    public static final String FAILED = "jobqueue.jobs.failed";
    /** Counter of attempts that failed and were scheduled for another attempt. */
    public static final String RETRIED = "jobqueue.jobs.retried";
    /** Counter of jobs the reaper found with an expired lease (tag {@code outcome}: requeued, failed). */
    public static final String STALLED = "jobqueue.jobs.stalled";
    /** Counter of attempts whose lease this process's workers lost (their outcome was not stored). */
    public static final String LEASE_LOST = "jobqueue.jobs.lease.lost";
    /** Timer of handler run time per attempt (tag {@code outcome}: completed, retried, failed). */
    public static final String EXECUTION = "jobqueue.jobs.execution";
    /** Timer of the time a job waited in the queue before an attempt started (storage clock). */
    public static final String WAIT = "jobqueue.jobs.wait";
    /** Gauge of the jobs in each state (tag {@code state}), read from the storage. */
    public static final String JOBS = "jobqueue.jobs";
    /** Gauge: 1 while the queue is paused, 0 otherwise, NaN when unknown. */
    public static final String PAUSED = "jobqueue.paused";
    /** The default of {@link Builder#countsCacheTtl}. */
    public static final Duration DEFAULT_COUNTS_CACHE_TTL = Duration.ofSeconds(5);

    // Queue.Builder#name's rule: the name is a tag value and a storage namespace.
    private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private final Storage storage;
    private final String queue;
    private final Tags tags;
    private final Duration countsCacheTtl;
    private final List<BoundMeters> bound = new CopyOnWriteArrayList<>();

    private QueueMetrics(Builder builder) {
        this.storage = builder.storage;
        this.queue = builder.name;
        this.tags = Tags.of(builder.tags).and("queue", builder.name);
        this.countsCacheTtl = builder.countsCacheTtl;
    }

    /**
     * A builder of the metrics of one queue of {@code storage}.
     *
     * @param storage the storage holding the queue, read by the gauges; not {@code null}
     * @return a new builder holding the defaults (name "default", no extra tags, countsCacheTtl 5 s)
     * @throws IllegalArgumentException when {@code storage} is null
     */
    public static Builder builder(Storage storage) {
        if (storage == null) {
            throw new IllegalArgumentException("storage must not be null");
        }
        return new Builder(CheckedStorage.of(storage));
    }

    /**
     * The queue's name, also the value of the {@code queue} tag.
     *
     * @return the name
     */
    public String queue() {
        return queue;
    }

    /**
     * The tags on every meter: the builder's tags and {@code queue}.
     *
     * @return the tags
     */
    public Tags tags() {
        return tags;
    }

    /**
     * How long a read of the storage's counts serves the gauges.
     *
     * @return the time-to-live of the cached counts
     */
    public Duration countsCacheTtl() {
        return countsCacheTtl;
    }

    /**
     * Registers this queue's meters in {@code registry}. Binding to several registries is allowed
     * (each gets its own meters, and its own counts cache); binding to the same registry again
     * does nothing. Events are counted from now on.
     *
     * @param registry the registry; not {@code null}
     * @throws IllegalArgumentException when {@code registry} is null
     */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        if (registry == null) {
            throw new IllegalArgumentException("registry must not be null");
        }
        for (BoundMeters m : bound) {
            if (m.registry == registry) {
                return; // its meters would be the same objects: every event would count twice
            }
        }
        CountsCache cache = new CountsCache(storage, queue, countsCacheTtl, registry.config().clock());
        for (JobState state : JobState.values()) {
            Gauge.builder(JOBS, cache, c -> c.jobs(state))
                    .tags(tags).tag("state", lowerCase(state))
                    .description("Jobs of the queue in this state, read from the storage (cached for " + countsCacheTtl + ")")
                    .baseUnit("jobs")
                    .strongReference(true)
                    .register(registry);
        }
        Gauge.builder(PAUSED, cache, CountsCache::paused)
                .tags(tags)
                .description("1 while the queue is paused, 0 otherwise")
                .strongReference(true)
                .register(registry);
        bound.add(new BoundMeters(registry, tags));
    }

    // ---------------------------------------------------------------- QueueListener

    /**
     * Counts a new job in {@value #ENQUEUED}.
     *
     * @param jobId the new job
     */
    @Override
    public void enqueued(String jobId) {
        for (BoundMeters m : bound) {
            m.enqueued.increment();
        }
    }

    /**
     * Records the job's wait in {@value #WAIT}.
     *
     * @param jobId     the job
     * @param attempt   the 1-based attempt number
     * @param queueWait how long the job was claimable before this worker claimed it
     */
    @Override
    public void started(String jobId, int attempt, Duration queueWait) {
        for (BoundMeters m : bound) {
            m.queueWait.record(queueWait);
        }
    }

    /**
     * Counts the job in {@value #COMPLETED} and times the attempt in {@value #EXECUTION}.
     *
     * @param jobId   the job
     * @param attempt the attempt that succeeded
     * @param timing  when the attempt ran
     */
    @Override
    public void completed(String jobId, int attempt, AttemptTiming timing) {
        for (BoundMeters m : bound) {
            m.completed.increment();
            m.ranCompleted.record(timing.duration());
        }
    }

    /**
     * Counts the job in {@value #COMPLETED} (a runtime that reports no timing).
     *
     * @param jobId   the job
     * @param attempt the attempt that succeeded
     */
    @Override
    public void completed(String jobId, int attempt) {
        for (BoundMeters m : bound) {
            m.completed.increment();
        }
    }

    /**
     * Counts the attempt in {@value #RETRIED} and times it in {@value #EXECUTION}.
     *
     * @param jobId   the job
     * @param attempt the attempt that failed
     * @param retryIn the backoff before the next attempt
     * @param error   the failure
     * @param timing  when the attempt ran
     */
    @Override
    public void failing(String jobId, int attempt, Duration retryIn, JobError error, AttemptTiming timing) {
        for (BoundMeters m : bound) {
            m.retried.increment();
            m.ranRetried.record(timing.duration());
        }
    }

    /**
     * Counts the attempt in {@value #RETRIED} (a runtime that reports no timing).
     *
     * @param jobId   the job
     * @param attempt the attempt that failed
     * @param retryIn the backoff before the next attempt
     * @param error   the failure
     */
    @Override
    public void failing(String jobId, int attempt, Duration retryIn, JobError error) {
        for (BoundMeters m : bound) {
            m.retried.increment();
        }
    }

    /**
     * Counts the job in {@value #FAILED} and times the attempt in {@value #EXECUTION}.
     *
     * @param jobId   the job
     * @param attempt the attempt that failed for good
     * @param error   the persisted error
     * @param timing  when the attempt ran
     */
    @Override
    public void failed(String jobId, int attempt, JobError error, AttemptTiming timing) {
        for (BoundMeters m : bound) {
            m.failed.increment();
            m.ranFailed.record(timing.duration());
        }
    }

    /**
     * Counts the job in {@value #FAILED} (a failure without an attempt's timing, such as a payload
     * that cannot be deserialized).
     *
     * @param jobId the job
     * @param error the persisted error
     */
    @Override
    public void failed(String jobId, JobError error) {
        for (BoundMeters m : bound) {
            m.failed.increment();
        }
    }

    /**
     * Counts the lost lease in {@value #LEASE_LOST}.
     *
     * @param jobId        the job
     * @param fencingToken the token of the claim that was lost
     */
    @Override
    public void leaseLost(String jobId, long fencingToken) {
        for (BoundMeters m : bound) {
            m.leaseLost.increment();
        }
    }

    // ---------------------------------------------------------------- ReaperListener

    /**
     * Counts the stalled job in {@value #STALLED}, tagged {@code outcome=failed} when it stalled
     * too often, else {@code outcome=requeued}.
     *
     * @param job the job the reaper found
     */
    @Override
    public void stalled(StalledJob job) {
        boolean failed = job.newState() == JobState.FAILED;
        for (BoundMeters m : bound) {
            (failed ? m.stalledFailed : m.stalledRequeued).increment();
        }
    }

    /**
     * Not measured: storage errors are logged by the queue and the reaper. (Both listener
     * interfaces declare this method, so this class must.)
     *
     * @param error the error
     */
    @Override
    public void error(Throwable error) {
    }

    @Override
    public String toString() {
        return "QueueMetrics[queue=" + queue + ", tags=" + tags + ", countsCacheTtl=" + countsCacheTtl + "]";
    }

    private static String lowerCase(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** The counters and timers of one binding. */
    private static final class BoundMeters {
        final MeterRegistry registry;
        final Counter enqueued;
        final Counter completed;
        final Counter failed;
        final Counter retried;
        final Counter leaseLost;
        final Counter stalledRequeued;
        final Counter stalledFailed;
        final Timer ranCompleted;
        final Timer ranRetried;
        final Timer ranFailed;
        final Timer queueWait;

        BoundMeters(MeterRegistry registry, Tags tags) {
            this.registry = registry;
            enqueued = counter(registry, ENQUEUED, tags, "Jobs created by this process's enqueues (duplicates not counted)");
            completed = counter(registry, COMPLETED, tags, "Jobs completed by this process's workers");
            failed = counter(registry, FAILED, tags, "Jobs that failed for good on this process's workers");
            retried = counter(registry, RETRIED, tags, "Failed attempts scheduled for another attempt");
            leaseLost = counter(registry, LEASE_LOST, tags, "Attempts whose lease this process's workers lost");
            String stalled = "Jobs the reaper found with an expired lease";
            stalledRequeued = counter(registry, STALLED, tags.and("outcome", "requeued"), stalled);
            stalledFailed = counter(registry, STALLED, tags.and("outcome", "failed"), stalled);
            ranCompleted = execution(registry, tags, "completed");
            ranRetried = execution(registry, tags, "retried");
            ranFailed = execution(registry, tags, "failed");
            queueWait = Timer.builder(WAIT).tags(tags)
                    .description("Time a job waited in the queue before an attempt started (storage clock)")
                    .register(registry);
        }

        private static Counter counter(MeterRegistry registry, String name, Iterable<Tag> tags, String description) {
            return Counter.builder(name).tags(tags).baseUnit("jobs").description(description).register(registry);
        }

        private static Timer execution(MeterRegistry registry, Tags tags, String outcome) {
            return Timer.builder(EXECUTION).tags(tags).tag("outcome", outcome)
                    .description("Handler run time per attempt")
                    .register(registry);
        }
    }

    /**
     * Builder of {@link QueueMetrics}, mutable like every builder of this library: each setter
     * validates its option at once (an {@link IllegalArgumentException} naming it) and returns this
     * builder; {@link #build()} snapshots the options. Not thread-safe.
     *
     * <!-- snippet: queue-metrics-builder -->
     * <pre>{@code
     * QueueMetrics metrics = QueueMetrics.builder(storage).name("orders")
     *         .tags(Tags.of("region", "eu-west"))
     *         .countsCacheTtl(Duration.ofSeconds(15))
     *         .build();
     * }</pre>
     */
    public static final class Builder {
        private final Storage storage;
        private String name = "default";
        private Tags tags = Tags.empty();
        private Duration countsCacheTtl = DEFAULT_COUNTS_CACHE_TTL;

        private Builder(Storage storage) {
            this.storage = storage;
        }

        /**
         * The queue measured: the name given to its {@code Queue.Builder#name}
         * ({@code [A-Za-z0-9._-]{1,128}}); the value of the {@code queue} tag.
         *
         * @param name the queue's name
         * @return this builder
         * @throws IllegalArgumentException when the name breaks the queue name rule
         */
        public Builder name(String name) {
            if (name == null || !QUEUE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("name must match [A-Za-z0-9._-]{1,128}, got " + name);
            }
            this.name = name;
            return this;
        }

        /**
         * Extra tags on every meter (replacing those set before), e.g. the application or region.
         * The tag keys {@code queue}, {@code state} and {@code outcome} are this binder's own.
         *
         * @param tags the tags; not {@code null}
         * @return this builder
         * @throws IllegalArgumentException when {@code tags} is null or uses a key of this binder
         */
        public Builder tags(Iterable<Tag> tags) {
            if (tags == null) {
                throw new IllegalArgumentException("tags must not be null");
            }
            Tags copy = Tags.of(tags);
            for (Tag tag : copy) {
                if (List.of("queue", "state", "outcome").contains(tag.getKey())) {
                    throw new IllegalArgumentException("tags must not use the key '" + tag.getKey()
                            + "': QueueMetrics sets it");
                }
            }
            this.tags = copy;
            return this;
        }

        /**
         * How long one read of the storage's counts (and paused flag) serves the gauges: scrapes
         * within this time reuse it, so however often the registry is scraped the storage is read at
         * most once per this time. Between 1 ms and 1 hour; default 5 s.
         *
         * @param countsCacheTtl the time-to-live of the cached counts
         * @return this builder
         * @throws IllegalArgumentException when null or out of range
         */
        public Builder countsCacheTtl(Duration countsCacheTtl) {
            if (countsCacheTtl == null || countsCacheTtl.compareTo(Duration.ofMillis(1)) < 0
                    || countsCacheTtl.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("countsCacheTtl must be between 1 ms and 1 h, got " + countsCacheTtl);
            }
            this.countsCacheTtl = countsCacheTtl;
            return this;
        }

        /**
         * The metrics, with this builder's options.
         *
         * @return new metrics, not yet bound to a registry
         */
        public QueueMetrics build() {
            return new QueueMetrics(this);
        }
    }
}
