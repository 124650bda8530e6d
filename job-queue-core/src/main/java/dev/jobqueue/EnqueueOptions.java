package dev.jobqueue;

import java.time.Duration;
import dev.jobqueue.internal.ReservedMetadata;
import dev.jobqueue.spi.JobMetadata;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Per-job options for {@link Queue#enqueue(String, Object, EnqueueOptions)}. Immutable; made with
 * a {@link Builder} (every public builder of this library works the same way: a mutable builder
 * whose setters validate at once and return it, {@code build()} making an immutable product, and
 * {@code newBuilder()} on the product to derive a changed copy). Unset options take the defaults
 * of the queue that enqueues the job: maxAttempts, maxStalls and resultTtl are stored with the job
 * at enqueue, so the producer's queue decides them, not the worker's. For a duplicate id the
 * options of the first accepted enqueue stand, metadata included.
 *
 * <!-- snippet: enqueue-options -->
 * <pre>{@code
 * queue.enqueue("report-7", request, EnqueueOptions.builder()
 *         .delay(Duration.ofMinutes(5))
 *         .priority(10)
 *         .resultTtl(Duration.ofDays(1))
 *         .build());
 * }</pre>
 */
public final class EnqueueOptions {
    private static final EnqueueOptions DEFAULTS = new EnqueueOptions(new Builder());

    private final Duration delay;
    private final Instant runAt;
    private final int priority;
    private final Integer maxAttempts;
    private final Duration resultTtl;
    private final Map<String, String> metadata;
    private final Duration timeout;
    private final Backoff backoff;

    private EnqueueOptions(Builder b) {
        this.delay = b.delay;
        this.runAt = b.runAt;
        this.priority = b.priority;
        this.maxAttempts = b.maxAttempts;
        this.resultTtl = b.resultTtl;
        this.metadata = b.metadata;
        this.timeout = b.timeout;
        this.backoff = b.backoff;
    }

    /**
     * No option set: run at once, priority 0, the queue's maxAttempts and resultTtl.
     *
     * @return the shared options with nothing set
     */
    public static EnqueueOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A builder with no option set.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding these options, to derive changed options from.
     *
     * @return a new builder; changing it does not change these options
     */
    public Builder newBuilder() {
        Builder b = new Builder();
        b.delay = delay;
        b.runAt = runAt;
        b.priority = priority;
        b.maxAttempts = maxAttempts;
        b.resultTtl = resultTtl;
        b.metadata = metadata;
        b.timeout = timeout;
        b.backoff = backoff;
        return b;
    }

    /**
     * Builds {@link EnqueueOptions}. Each setter checks its argument at once and throws an
     * {@link IllegalArgumentException} naming the option; not thread-safe.
     */
    public static final class Builder {
        private Duration delay;
        private Instant runAt;
        private int priority;
        private Integer maxAttempts;
        private Duration resultTtl;
        private Map<String, String> metadata = Map.of();
        private Duration timeout;
        private Backoff backoff;

        private Builder() {
        }

        /**
         * Run no earlier than {@code delay} from now (>= 0, at most 100 years). Replaces a {@code runAt}.
         *
         * @param delay how long from the enqueue the job waits before it may run
         * @return this builder
         */
        public Builder delay(Duration delay) {
            this.delay = Arguments.nonNegative(delay, "delay");
            this.runAt = null;
            return this;
        }

        /**
         * Run no earlier than {@code runAt} (storage time; between 1970-01-01T00:00:00Z and
         * 9999-12-31T23:59:59Z, so that every storage can hold it). Replaces a {@code delay}.
          *
          * @param runAt the earliest time the job may run
          * @return this builder
         */
        public Builder runAt(Instant runAt) {
            this.runAt = Arguments.runAt(runAt, "runAt");
            this.delay = null;
            return this;
        }

        /**
         * Higher runs first; FIFO within one priority. Default 0; negative values are allowed.
         *
         * @param priority the job's priority among the waiting jobs of its queue
         * @return this builder
         */
        public Builder priority(int priority) {
            this.priority = priority;
            return this;
        }

        /**
         * Attempts allowed for this job (>= 1); default: the maxAttempts of the queue that
         * enqueues it. Stored with the job at enqueue: the queue of the worker that runs the job
         * does not change it.
          *
          * @param maxAttempts how many times the job may be run before it is failed for good
          * @return this builder
         */
        public Builder maxAttempts(int maxAttempts) {
            Arguments.check(maxAttempts >= 1, "maxAttempts must be >= 1, got " + maxAttempts);
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * How long this job's result or error is kept once terminal (> 0, at most 100 years).
         *
         * @param resultTtl retention of the terminal job, counted from when it became terminal
         * @return this builder
         */
        public Builder resultTtl(Duration resultTtl) {
            this.resultTtl = Arguments.positive(resultTtl, "resultTtl");
            return this;
        }

        /**
         * A small map of strings stored with the job (a tenant, a request id, a trace context):
         * the handler reads it with {@link Job#metadata()}, and {@link Queue#status} and
         * {@link Queue#list} show it. Replaces metadata set before; the map is copied (iteration
         * order kept). At most {@value JobMetadata#MAX_ENTRIES} entries and
         * {@value JobMetadata#MAX_BYTES} bytes of keys and values as UTF-8; keys non-empty, no
         * {@code null} keys or values (see {@link JobMetadata}). {@link JobInterceptor}s and
         * {@link Queue.Builder#propagateMdc} may add entries at enqueue. Keys starting with
         * {@code jobqueue.} are reserved for the library (it stores {@link #timeout} and
         * {@link #backoff} there) and rejected.
         *
         * <!-- snippet: enqueue-options-metadata -->
         * <pre>{@code
         * queue.enqueue("order-43", order, EnqueueOptions.builder()
         *         .metadata(Map.of("tenant", "acme", "requestId", requestId))
         *         .build());
         * }</pre>
         *
         * @param metadata the job's metadata; empty for none
         * @return this builder
         * @throws IllegalArgumentException naming {@code metadata} when it breaks the bounds above
         *         or uses a reserved {@code jobqueue.} key
         */
        public Builder metadata(Map<String, String> metadata) {
            JobMetadata.requireValid(metadata, "metadata");
            for (String key : metadata.keySet()) {
                Arguments.check(!ReservedMetadata.isReserved(key), "metadata key '" + key + "' is reserved: keys starting with '"
                        + ReservedMetadata.PREFIX + "' are set by the library (use EnqueueOptions.Builder.timeout/backoff)");
            }
            this.metadata = JobMetadata.copyOf(metadata, "metadata");
            return this;
        }

        /**
         * This job's execution timeout (&gt; 0, at most 100 years), over the
         * {@link Queue.Builder#timeout(Duration) timeout} of the queue whose worker runs it: when an
         * attempt runs longer, its handler is interrupted and the attempt fails with a
         * {@link JobError#TIMEOUT} error. Stored in the job's metadata under the reserved key
         * {@code jobqueue.timeout} (it counts against the metadata bounds), so it holds in
         * whatever process runs the job.
         *
         * @param timeout the longest an attempt of this job may run
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            this.timeout = Arguments.positive(timeout, "timeout");
            return this;
        }

        /**
         * This job's retry backoff, over the {@link Queue.Builder#backoff(Backoff) backoff} of the
         * queue whose worker runs it. Stored in the job's metadata under the reserved key
         * {@code jobqueue.backoff} in a compact string form; a worker that cannot read it uses its
         * queue's backoff and logs a warning.
         *
         * @param backoff the delays before this job's retries; not {@code null}
         * @return this builder
         */
        public Builder backoff(Backoff backoff) {
            this.backoff = Arguments.notNull(backoff, "backoff");
            return this;
        }

        /**
         * The options set so far; the builder may be reused.
         *
         * @return new immutable options, unaffected by later calls on this builder
         */
        public EnqueueOptions build() {
            return new EnqueueOptions(this);
        }
    }

    /**
     * The delay, or {@code null} when not set.
     *
     * @return the delay before the job may run
     */
    public Duration delay() {
        return delay;
    }

    /**
     * The absolute run time, or {@code null} when not set.
     *
     * @return the earliest time the job may run
     */
    public Instant runAt() {
        return runAt;
    }

    /**
     * Higher runs first; 0 unless set.
     *
     * @return the job's priority
     */
    public int priority() {
        return priority;
    }

    /**
     * The attempts allowed, or {@code null} for the queue's default.
     *
     * @return the number of attempts allowed
     */
    public Integer maxAttempts() {
        return maxAttempts;
    }

    /**
     * The result TTL, or {@code null} for the queue's default.
     *
     * @return how long the terminal job is kept
     */
    public Duration resultTtl() {
        return resultTtl;
    }

    /**
     * The job's metadata; empty unless set.
     *
     * @return an unmodifiable map in the order given
     */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * The job's own execution timeout, or {@code null} for its worker queue's.
     *
     * @return the longest an attempt of this job may run
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * The job's own retry backoff, or {@code null} for its worker queue's.
     *
     * @return the delays before this job's retries
     */
    public Backoff backoff() {
        return backoff;
    }

    /**
     * The metadata the job is stored with: {@link #metadata()} plus the reserved entries of
     * {@link #timeout()} and {@link #backoff()}.
     */
    Map<String, String> storedMetadata(Map<String, String> userMetadata) {
        if (timeout == null && backoff == null) {
            return userMetadata;
        }
        Map<String, String> m = new LinkedHashMap<>(userMetadata);
        if (timeout != null) {
            m.put(ReservedMetadata.TIMEOUT, ReservedMetadata.encodeTimeout(timeout));
        }
        if (backoff != null) {
            m.put(ReservedMetadata.BACKOFF, ReservedMetadata.encodeBackoff(backoff));
        }
        return Collections.unmodifiableMap(m);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnqueueOptions e && Objects.equals(delay, e.delay) && Objects.equals(runAt, e.runAt)
                && priority == e.priority && Objects.equals(maxAttempts, e.maxAttempts)
                && Objects.equals(resultTtl, e.resultTtl) && metadata.equals(e.metadata)
                && Objects.equals(timeout, e.timeout) && Objects.equals(backoff, e.backoff);
    }

    @Override
    public int hashCode() {
        return Objects.hash(delay, runAt, priority, maxAttempts, resultTtl, metadata, timeout, backoff);
    }

    @Override
    public String toString() {
        return "EnqueueOptions[delay=" + delay + ", runAt=" + runAt + ", priority=" + priority
                + ", maxAttempts=" + maxAttempts + ", resultTtl=" + resultTtl + ", metadata=" + metadata.keySet() + ", timeout=" + timeout + ", backoff=" + backoff + "]";
    }
}
