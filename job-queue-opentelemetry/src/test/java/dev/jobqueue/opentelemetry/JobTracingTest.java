package dev.jobqueue.opentelemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.Job;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The interceptor's two halves called directly, as the queue runtime calls them. */
class JobTracingTest {
    private final Tracing tracing = new Tracing();
    private final JobTracing interceptor = JobTracing.create(tracing.sdk);

    @AfterEach
    void close() {
        tracing.close();
    }

    @Test
    void enqueueStartsAProducerSpanUnderTheCallersSpanAndPutsItsContextIntoTheMetadata() {
        Span request = tracing.sdk.getTracer("app").spanBuilder("POST /orders").startSpan();
        Map<String, String> metadata;
        Scope scope = request.makeCurrent();
        try {
            metadata = interceptor.beforeEnqueue("orders", "order-1", Map.of("tenant", "acme"));
        } finally {
            scope.close();
            request.end();
        }

        SpanData producer = tracing.spansNamed("send orders").get(0);
        assertEquals(SpanKind.PRODUCER, producer.getKind());
        assertEquals(request.getSpanContext().getSpanId(), producer.getParentSpanId());
        assertEquals("jobqueue", producer.getAttributes().get(JobTracing.SYSTEM));
        assertEquals("orders", producer.getAttributes().get(JobTracing.DESTINATION));
        assertEquals("order-1", producer.getAttributes().get(JobTracing.MESSAGE_ID));
        assertEquals("send", producer.getAttributes().get(JobTracing.OPERATION_TYPE));
        assertTrue(producer.hasEnded());
        assertEquals("acme", metadata.get("tenant"), "earlier metadata is kept");
        String traceparent = metadata.get("traceparent");
        assertTrue(traceparent.startsWith("00-" + producer.getTraceId() + "-" + producer.getSpanId() + "-"), traceparent);
        assertThrows(UnsupportedOperationException.class, () -> metadata.put("x", "y"));
    }

    @Test
    void attemptRunsInAConsumerSpanThatIsLinkedToAndChildOfTheProducer() throws Exception {
        Map<String, String> metadata = interceptor.beforeEnqueue("orders", "order-1", Map.of());
        SpanData producer = tracing.spansNamed("send orders").get(0);
        AtomicReference<Span> current = new AtomicReference<>();

        Object result = interceptor.aroundAttempt("orders", job("order-1", 2, metadata), () -> {
            current.set(Span.current());
            return "charged";
        });

        assertEquals("charged", result);
        SpanData consumer = tracing.spansNamed("process orders").get(0);
        assertEquals(SpanKind.CONSUMER, consumer.getKind());
        assertEquals(consumer.getSpanId(), current.get().getSpanContext().getSpanId(), "current while the handler runs");
        assertEquals(producer.getTraceId(), consumer.getTraceId());
        assertEquals(producer.getSpanId(), consumer.getParentSpanId());
        assertEquals(1, consumer.getLinks().size());
        assertEquals(producer.getSpanId(), consumer.getLinks().get(0).getSpanContext().getSpanId());
        assertEquals("order-1", consumer.getAttributes().get(JobTracing.MESSAGE_ID));
        assertEquals("orders", consumer.getAttributes().get(JobTracing.DESTINATION));
        assertEquals("jobqueue", consumer.getAttributes().get(JobTracing.SYSTEM));
        assertEquals("process", consumer.getAttributes().get(JobTracing.OPERATION_TYPE));
        assertEquals(2L, consumer.getAttributes().get(JobTracing.ATTEMPT));
        assertEquals(StatusCode.UNSET, consumer.getStatus().getStatusCode());
        assertFalse(Span.current().getSpanContext().isValid(), "the scope is closed afterwards");
    }

    @Test
    void aFailingAttemptRecordsTheExceptionAndLetsItThrough() {
        Map<String, String> metadata = interceptor.beforeEnqueue("orders", "order-1", Map.of());
        IllegalStateException failure = new IllegalStateException("card declined");

        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> interceptor.aroundAttempt("orders", job("order-1", 1, metadata), () -> {
                    throw failure;
                }));

        assertSame(failure, thrown);
        SpanData consumer = tracing.spansNamed("process orders").get(0);
        assertEquals(StatusCode.ERROR, consumer.getStatus().getStatusCode());
        assertEquals("card declined", consumer.getStatus().getDescription());
        assertEquals(IllegalStateException.class.getName(), consumer.getAttributes().get(JobTracing.ERROR_TYPE));
        List<EventData> events = consumer.getEvents();
        assertEquals(1, events.size());
        assertEquals("exception", events.get(0).getName());
        assertTrue(consumer.hasEnded());
    }

    @Test
    void withoutChildOfProducerEachAttemptStartsANewTraceLinkedToTheProducer() throws Exception {
        JobTracing linkOnly = JobTracing.builder(tracing.sdk).childOfProducer(false).build();
        assertFalse(linkOnly.childOfProducer());
        Map<String, String> metadata = linkOnly.beforeEnqueue("orders", "order-1", Map.of());
        SpanData producer = tracing.spansNamed("send orders").get(0);

        linkOnly.aroundAttempt("orders", job("order-1", 1, metadata), () -> "ok");

        SpanData consumer = tracing.spansNamed("process orders").get(0);
        assertNotEquals(producer.getTraceId(), consumer.getTraceId());
        assertFalse(consumer.getParentSpanContext().isValid());
        assertEquals(producer.getSpanId(), consumer.getLinks().get(0).getSpanContext().getSpanId());
    }

    @Test
    void aJobWithoutTraceContextGetsAConsumerSpanWithoutLink() throws Exception {
        interceptor.aroundAttempt("orders", job("old-job", 1, Map.of()), () -> "ok");

        SpanData consumer = tracing.spansNamed("process orders").get(0);
        assertTrue(consumer.getLinks().isEmpty());
        assertFalse(consumer.getParentSpanContext().isValid());
    }

    @Test
    void withoutAnSdkNothingIsAddedToTheMetadata() {
        JobTracing noop = JobTracing.create(OpenTelemetry.noop());
        Map<String, String> metadata = Map.of("tenant", "acme");
        assertSame(metadata, noop.beforeEnqueue("orders", "order-1", metadata));
    }

    @Test
    void nullOpenTelemetryIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JobTracing.create(null));
        assertTrue(e.getMessage().startsWith("openTelemetry"), e.getMessage());
    }

    static Job<String> job(String id, int attempt, Map<String, String> metadata) {
        return new Job<>() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String payload() {
                return "payload";
            }

            @Override
            public int attempt() {
                return attempt;
            }

            @Override
            public int maxAttempts() {
                return 3;
            }

            @Override
            public Instant createdAt() {
                return Instant.EPOCH;
            }

            @Override
            public long fencingToken() {
                return attempt;
            }

            @Override
            public boolean isCancelled() {
                return false;
            }

            @Override
            public Map<String, String> metadata() {
                return metadata;
            }
        };
    }
}
