package dev.jobqueue.opentelemetry;

import dev.jobqueue.Job;
import dev.jobqueue.JobInterceptor;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OpenTelemetry tracing of jobs, as a {@link JobInterceptor}: the producer's trace context travels
 * with the job in its metadata, and every attempt runs in a consumer span linked to it.
 *
 * <!-- snippet: job-tracing -->
 * <pre>{@code
 * JobTracing tracing = JobTracing.create(openTelemetry);
 * Queue<Order, Receipt> queue = Queue.builder(storage, Order.class, Receipt.class).name("orders")
 *         .interceptor(tracing)
 *         .handler(job -> payments.charge(job.payload()))
 *         .build();
 * }</pre>
 *
 * <p>On enqueue ({@link #beforeEnqueue}) it starts a {@link SpanKind#PRODUCER} span
 * {@code "send <queue>"} as a child of the caller's current span, injects its context into the job's
 * metadata with the configured {@link TextMapPropagator} (W3C {@code traceparent}, and
 * {@code tracestate} when there is one, by default) and ends it: the span marks the moment the
 * job was handed to the storage. On each attempt ({@link #aroundAttempt}) it extracts that context
 * from {@link Job#metadata()} and runs the handler inside a {@link SpanKind#CONSUMER} span
 * {@code "process <queue>"}, which is current while the handler runs (spans the handler starts are
 * its children). A failing attempt gets the exception recorded, {@code error.type} set and status
 * {@link StatusCode#ERROR}; each retry is a new consumer span.
 *
 * <p>The consumer span always has a link to the producer span, as the OpenTelemetry messaging
 * conventions ask. By default it is also the producer span's child, which the conventions allow
 * for a span that processes one message: producer and attempts then show as one trace. With
 * {@link Builder#childOfProducer childOfProducer(false)} every attempt starts a new trace, linked
 * to the producer (better when jobs run hours later or fan out widely).
 *
 * <p>Attributes: {@code messaging.system} = {@value #MESSAGING_SYSTEM}, {@code messaging.destination.name}
 * = the queue, {@code messaging.message.id} = the job id, {@code messaging.operation.type} and
 * {@code messaging.operation.name} = {@code send} or {@code process}; on consumer spans also
 * {@code messaging.jobqueue.attempt} (1-based). Costs: about 70 bytes of metadata per job
 * ({@code traceparent}, more with {@code tracestate}; they count towards the metadata bounds of
 * {@link dev.jobqueue.spi.JobMetadata}), two spans per job with one attempt, no storage call.
 *
 * <p>Immutable and thread-safe; one instance may serve any number of queues.
 */
public final class JobTracing implements JobInterceptor {
    /** The value of {@code messaging.system}. */
    public static final String MESSAGING_SYSTEM = "jobqueue";
    /** The instrumentation scope name of the tracer. */
    public static final String INSTRUMENTATION_NAME = "dev.jobqueue.opentelemetry";

    /** {@code messaging.system}. */
    public static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    /** {@code messaging.destination.name}: the queue. */
    public static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    /** {@code messaging.message.id}: the job id. */
    public static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
    /** {@code messaging.operation.type}: {@code send} or {@code process}. */
    public static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    /** {@code messaging.operation.name}: {@code send} or {@code process}. */
    public static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
    /** {@code messaging.jobqueue.attempt}: the 1-based attempt number of a consumer span. */
    public static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("messaging.jobqueue.attempt");
    /** {@code error.type}: the class name of a failed attempt's exception. */
    public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    private static final TextMapSetter<Map<String, String>> SETTER = (carrier, key, value) -> {
        if (carrier != null) {
            carrier.put(key, value);
        }
    };

    // The propagators read the keys they know; none needs to list the carrier's keys.
    private static final TextMapGetter<Map<String, String>> GETTER = (carrier, key) -> carrier == null ? null : carrier.get(key);

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final boolean childOfProducer;

    private JobTracing(Builder builder) {
        this.tracer = builder.openTelemetry.getTracer(INSTRUMENTATION_NAME);
        this.propagator = builder.openTelemetry.getPropagators().getTextMapPropagator();
        this.childOfProducer = builder.childOfProducer;
    }

    /**
     * Tracing with the defaults: the consumer span is the producer span's child (and linked to it).
     *
     * @param openTelemetry where the tracer and the propagator come from (e.g. the SDK, or
     *                      {@code GlobalOpenTelemetry.get()}); not {@code null}
     * @return the interceptor
     * @throws IllegalArgumentException when {@code openTelemetry} is null
     */
    public static JobTracing create(OpenTelemetry openTelemetry) {
        return builder(openTelemetry).build();
    }

    /**
     * A builder of tracing with the given OpenTelemetry.
     *
     * <!-- snippet: job-tracing-builder -->
     * <pre>{@code
     * JobTracing tracing = JobTracing.builder(GlobalOpenTelemetry.get()).childOfProducer(false).build();
     * }</pre>
     *
     * @param openTelemetry where the tracer and the propagator come from; not {@code null}
     * @return a new builder
     * @throws IllegalArgumentException when {@code openTelemetry} is null
     */
    public static Builder builder(OpenTelemetry openTelemetry) {
        if (openTelemetry == null) {
            throw new IllegalArgumentException("openTelemetry must not be null");
        }
        return new Builder(openTelemetry);
    }

    /**
     * Whether consumer spans are children of the producer span (besides the link).
     *
     * @return true when producer and attempts share one trace
     */
    public boolean childOfProducer() {
        return childOfProducer;
    }

    /**
     * Starts and ends the producer span and puts its context into the metadata.
     *
     * @param queue    the queue's name
     * @param jobId    the job's id
     * @param metadata the metadata so far
     * @return a copy of {@code metadata} with the trace context ({@code traceparent}, ...), or
     *         {@code metadata} itself when there is no valid context to propagate
     */
    @Override
    public Map<String, String> beforeEnqueue(String queue, String jobId, Map<String, String> metadata) {
        Span span = tracer.spanBuilder("send " + queue)
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute(SYSTEM, MESSAGING_SYSTEM)
                .setAttribute(DESTINATION, queue)
                .setAttribute(MESSAGE_ID, jobId)
                .setAttribute(OPERATION_TYPE, "send")
                .setAttribute(OPERATION_NAME, "send")
                .startSpan();
        try {
            Map<String, String> withContext = new LinkedHashMap<>(metadata);
            propagator.inject(Context.current().with(span), withContext, SETTER);
            return withContext.equals(metadata) ? metadata : Collections.unmodifiableMap(withContext);
        } finally {
            span.end();
        }
    }

    /**
     * Runs the attempt inside a consumer span linked to the job's producer span.
     *
     * @param queue   the queue's name
     * @param job     the job, with the producer's trace context in its metadata
     * @param attempt the rest of the attempt
     * @return what the attempt returned
     * @throws Exception what the attempt threw, after recording it on the span
     */
    @Override
    public Object aroundAttempt(String queue, Job<?> job, Attempt attempt) throws Exception {
        Context producer = propagator.extract(Context.root(), job.metadata(), GETTER);
        SpanContext producerSpan = Span.fromContext(producer).getSpanContext();
        SpanBuilder builder = tracer.spanBuilder("process " + queue)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute(SYSTEM, MESSAGING_SYSTEM)
                .setAttribute(DESTINATION, queue)
                .setAttribute(MESSAGE_ID, job.id())
                .setAttribute(OPERATION_TYPE, "process")
                .setAttribute(OPERATION_NAME, "process")
                .setAttribute(ATTEMPT, (long) job.attempt());
        if (producerSpan.isValid()) {
            builder.addLink(producerSpan);
            if (childOfProducer) {
                builder.setParent(producer);
            } else {
                builder.setNoParent();
            }
        }
        Span span = builder.startSpan();
        Scope scope = span.makeCurrent();
        try {
            return attempt.proceed();
        } catch (Exception | Error e) {
            span.recordException(e);
            span.setAttribute(ERROR_TYPE, e.getClass().getName());
            span.setStatus(StatusCode.ERROR, String.valueOf(e.getMessage()));
            throw e;
        } finally {
            scope.close();
            span.end();
        }
    }

    @Override
    public String toString() {
        return "JobTracing[childOfProducer=" + childOfProducer + "]";
    }

    /**
     * Builder of {@link JobTracing}, mutable like every builder of this library; {@link #build()}
     * snapshots the options. Not thread-safe.
     *
     * <!-- snippet: job-tracing-builder-class -->
     * <pre>{@code
     * JobTracing.Builder builder = JobTracing.builder(openTelemetry);
     * builder.childOfProducer(false);
     * JobTracing tracing = builder.build();
     * }</pre>
     */
    public static final class Builder {
        private final OpenTelemetry openTelemetry;
        private boolean childOfProducer = true;

        private Builder(OpenTelemetry openTelemetry) {
            this.openTelemetry = openTelemetry;
        }

        /**
         * Whether each attempt's consumer span is a child of the producer span (default true) or
         * the root of a new trace; it is linked to the producer span either way.
         *
         * @param childOfProducer true to keep producer and attempts in one trace
         * @return this builder
         */
        public Builder childOfProducer(boolean childOfProducer) {
            this.childOfProducer = childOfProducer;
            return this;
        }

        /**
         * The interceptor, with this builder's options.
         *
         * @return new tracing
         */
        public JobTracing build() {
            return new JobTracing(this);
        }
    }
}
