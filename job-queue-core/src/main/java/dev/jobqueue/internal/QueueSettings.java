package dev.jobqueue.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jobqueue.AfterExecution;
import dev.jobqueue.Backoff;
import dev.jobqueue.JobHandler;
import dev.jobqueue.JobInterceptor;
import dev.jobqueue.QueueLimits;
import dev.jobqueue.QueueListener;
import dev.jobqueue.Serde;
import dev.jobqueue.spi.Storage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.spi.MDCAdapter;

/**
 * The configuration of one queue, as the runtime needs it: an immutable snapshot of a
 * {@link Builder}. The public {@code Queue.Builder} validates each option and keeps it here, so
 * the list of options and their defaults exists once.
 */
public final class QueueSettings<P, R> {
    private final Storage storage;
    private final String name;
    private final int concurrency;
    private final int prefetch;
    private final int maxAttempts;
    private final Backoff backoff;
    private final Duration visibilityTimeout;
    private final int maxStalls;
    private final Duration resultTtl;
    private final Serde<P> payloadSerde;
    private final Serde<R> resultSerde;
    private final JobHandler<P, R> handler;
    private final AfterExecution<P, R> afterExecution;
    private final QueueListener listener;
    private final Logger logger;
    private final Clock clock;
    private final String workerId;
    private final Duration claimWait;
    private final Duration shutdownGrace;
    private final Duration defaultWaitTimeout;
    private final boolean closeOnJvmShutdown;
    private final Interceptors interceptors;
    // ---- execution control (timeouts, retry policy, limits, executors)
    private final Duration timeout;
    private final Duration timeoutGrace;
    private final QueueLimits limits;
    private final RetryPolicy retryPolicy;
    private final Executor executor;
    private final boolean virtualThreads;

    private QueueSettings(Builder<P, R> b) {
        this.storage = b.storage;
        this.name = b.name;
        this.concurrency = b.concurrency;
        this.prefetch = b.prefetch != null ? b.prefetch : b.concurrency;
        this.maxAttempts = b.maxAttempts;
        this.backoff = b.backoff;
        this.visibilityTimeout = b.visibilityTimeout;
        this.maxStalls = b.maxStalls;
        this.resultTtl = b.resultTtl;
        // An explicit serde wins over the object mapper, whichever was set first.
        this.payloadSerde = b.payloadSerde != null ? b.payloadSerde : b.payloadJson.apply(b.objectMapper);
        this.resultSerde = b.resultSerde != null ? b.resultSerde : b.resultJson.apply(b.objectMapper);
        this.handler = b.handler;
        this.afterExecution = b.afterExecution;
        this.listener = new SafeQueueListener(List.copyOf(b.listeners), b.logger);
        this.logger = b.logger;
        this.clock = b.clock;
        this.workerId = b.workerId != null ? b.workerId : Identities.unique();
        this.claimWait = b.claimWait;
        this.shutdownGrace = b.shutdownGrace;
        this.defaultWaitTimeout = b.defaultWaitTimeout;
        this.closeOnJvmShutdown = b.closeOnJvmShutdown;
        List<JobInterceptor> chain = new ArrayList<>();
        MdcInterceptor mdc = MdcInterceptor.forOptions(b.mdcAdapter != null ? b.mdcAdapter : MDC.getMDCAdapter(),
                b.mdc, b.propagateMdc);
        if (mdc != null) {
            chain.add(mdc); // outermost: inner interceptors and their logs see the job's MDC
        }
        chain.addAll(b.interceptors);
        this.interceptors = Interceptors.of(chain);
        this.timeout = b.timeout;
        this.timeoutGrace = b.timeoutGrace;
        this.limits = b.limits;
        this.retryPolicy = new RetryPolicy(b.retryIf, b.nonRetryable);
        this.executor = b.executor;
        this.virtualThreads = b.virtualThreads;
    }

    /**
     * A builder with the defaults; {@code payloadJson}/{@code resultJson} make the JSON serdes from
     * the configured object mapper ({@code null} for the library's default mapper).
     */
    public static <P, R> Builder<P, R> builder(Storage storage, Function<ObjectMapper, Serde<P>> payloadJson,
                                               Function<ObjectMapper, Serde<R>> resultJson) {
        return new Builder<>(storage, payloadJson, resultJson);
    }

    /** Mutable, unvalidated (the public builder validates); {@link #build()} snapshots it. */
    public static final class Builder<P, R> {
        private final Storage storage;
        private final Function<ObjectMapper, Serde<P>> payloadJson;
        private final Function<ObjectMapper, Serde<R>> resultJson;
        private String name = "default";
        private int concurrency = 1;
        private Integer prefetch;
        private int maxAttempts = 3;
        private Backoff backoff = Backoff.defaultBackoff();
        private Duration visibilityTimeout = Duration.ofSeconds(30);
        private int maxStalls = 3;
        private Duration resultTtl = Duration.ofHours(1);
        private ObjectMapper objectMapper;
        private Serde<P> payloadSerde;
        private Serde<R> resultSerde;
        private JobHandler<P, R> handler;
        private AfterExecution<P, R> afterExecution;
        private final List<QueueListener> listeners = new ArrayList<>();
        private Logger logger = LoggerFactory.getLogger("dev.jobqueue.Queue");
        private Clock clock = Clock.systemUTC();
        private String workerId;
        private Duration claimWait = Duration.ofSeconds(1);
        private Duration shutdownGrace = Duration.ofSeconds(30);
        private Duration defaultWaitTimeout = Duration.ofSeconds(30);
        private boolean closeOnJvmShutdown = true;
        private final List<JobInterceptor> interceptors = new ArrayList<>();
        private boolean mdc = true;
        private List<String> propagateMdc = List.of();
        private MDCAdapter mdcAdapter; // null: SLF4J's
        private Duration timeout; // null: none
        private Duration timeoutGrace = Duration.ofSeconds(10);
        private QueueLimits limits; // null: leave the storage's as they are
        private Predicate<Throwable> retryIf; // null: every failure is retryable
        private List<Class<? extends Throwable>> nonRetryable = List.of();
        private Executor executor; // null: the queue's own threads
        private boolean virtualThreads;

        private Builder(Storage storage, Function<ObjectMapper, Serde<P>> payloadJson,
                        Function<ObjectMapper, Serde<R>> resultJson) {
            this.storage = storage;
            this.payloadJson = payloadJson;
            this.resultJson = resultJson;
        }

        public void name(String v) {
            name = v;
        }

        public void concurrency(int v) {
            concurrency = v;
        }

        public void prefetch(int v) {
            prefetch = v;
        }

        public void maxAttempts(int v) {
            maxAttempts = v;
        }

        public void backoff(Backoff v) {
            backoff = v;
        }

        public void visibilityTimeout(Duration v) {
            visibilityTimeout = v;
        }

        public void maxStalls(int v) {
            maxStalls = v;
        }

        public void resultTtl(Duration v) {
            resultTtl = v;
        }

        public void objectMapper(ObjectMapper v) {
            objectMapper = v;
        }

        public void payloadSerde(Serde<P> v) {
            payloadSerde = v;
        }

        public void resultSerde(Serde<R> v) {
            resultSerde = v;
        }

        public void handler(JobHandler<P, R> v) {
            handler = v;
        }

        public void afterExecution(AfterExecution<P, R> v) {
            afterExecution = v;
        }

        public void addListener(QueueListener v) {
            listeners.add(v);
        }

        public void logger(Logger v) {
            logger = v;
        }

        public void clock(Clock v) {
            clock = v;
        }

        public void workerId(String v) {
            workerId = v;
        }

        public void shutdownGrace(Duration v) {
            shutdownGrace = v;
        }

        public void defaultWaitTimeout(Duration v) {
            defaultWaitTimeout = v;
        }

        public void closeOnJvmShutdown(boolean v) {
            closeOnJvmShutdown = v;
        }

        public void addInterceptor(JobInterceptor v) {
            interceptors.add(v);
        }

        public void mdc(boolean v) {
            mdc = v;
        }

        public void propagateMdc(List<String> v) {
            propagateMdc = List.copyOf(v);
        }

        /** The MDC the built-in interceptor works on; tests set one (slf4j-simple has none). */
        public void mdcAdapter(MDCAdapter v) {
            mdcAdapter = v;
        }

        public void timeout(Duration v) {
            timeout = v;
        }

        public void timeoutGrace(Duration v) {
            timeoutGrace = v;
        }

        public void limits(QueueLimits v) {
            limits = v;
        }

        public void retryIf(Predicate<Throwable> v) {
            retryIf = v;
        }

        public void nonRetryable(List<Class<? extends Throwable>> v) {
            nonRetryable = List.copyOf(v);
        }

        public void executor(Executor v) {
            executor = v;
        }

        public void virtualThreads(boolean v) {
            virtualThreads = v;
        }

        public Duration visibilityTimeout() {
            return visibilityTimeout;
        }

        public Duration timeout() {
            return timeout;
        }

        public Duration timeoutGrace() {
            return timeoutGrace;
        }

        public boolean virtualThreads() {
            return virtualThreads;
        }

        public Executor executor() {
            return executor;
        }

        /** An immutable snapshot; later changes to this builder do not reach it. */
        public QueueSettings<P, R> build() {
            return new QueueSettings<>(this);
        }
    }

    public Storage storage() {
        return storage;
    }

    public String name() {
        return name;
    }

    public int concurrency() {
        return concurrency;
    }

    /** Jobs a worker may hold claimed beyond its running handlers (claim-ahead buffer). */
    public int prefetch() {
        return prefetch;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Backoff backoff() {
        return backoff;
    }

    public Duration visibilityTimeout() {
        return visibilityTimeout;
    }

    public int maxStalls() {
        return maxStalls;
    }

    public Duration resultTtl() {
        return resultTtl;
    }

    public Serde<P> payloadSerde() {
        return payloadSerde;
    }

    public Serde<R> resultSerde() {
        return resultSerde;
    }

    /** The handler, or {@code null} for a producer-only queue. */
    public JobHandler<P, R> handler() {
        return handler;
    }

    /** The hook, or {@code null}. */
    public AfterExecution<P, R> afterExecution() {
        return afterExecution;
    }

    /** All configured listeners behind one that never throws. */
    public QueueListener listener() {
        return listener;
    }

    public Logger logger() {
        return logger;
    }

    public Clock clock() {
        return clock;
    }

    public String workerId() {
        return workerId;
    }

    /** Longest a claim call blocks when idle; bounds how long stop waits for the claimer. */
    public Duration claimWait() {
        return claimWait;
    }

    public Duration shutdownGrace() {
        return shutdownGrace;
    }

    public Duration defaultWaitTimeout() {
        return defaultWaitTimeout;
    }

    public boolean closeOnJvmShutdown() {
        return closeOnJvmShutdown;
    }

    /** The built-in MDC interceptor (when on) and the configured ones, outermost first. */
    public Interceptors interceptors() {
        return interceptors;
    }

    // ---- execution control

    /** The queue's execution timeout, or {@code null} for none (a job's own may still apply). */
    public Duration timeout() {
        return timeout;
    }

    /** How long an interrupted, timed-out handler may take to return before it counts as unresponsive. */
    public Duration timeoutGrace() {
        return timeoutGrace;
    }

    /** The limits {@code start()} writes to the storage, or {@code null} to leave them. */
    public QueueLimits limits() {
        return limits;
    }

    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /** The user's executor for handler loops, or {@code null}. */
    public Executor executor() {
        return executor;
    }

    public boolean virtualThreads() {
        return virtualThreads;
    }
}
