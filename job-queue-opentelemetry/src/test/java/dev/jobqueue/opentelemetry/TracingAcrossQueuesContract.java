package dev.jobqueue.opentelemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.Backoff;
import dev.jobqueue.JobState;
import dev.jobqueue.Queue;
import dev.jobqueue.contract.Eventually;
import dev.jobqueue.spi.Storage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A producer-only queue and a worker queue, each traced by its own OpenTelemetry SDK (as two
 * processes would be), share only the storage: the consumer spans can link to the producer spans
 * only through the trace context the job's metadata carried.
 */
abstract class TracingAcrossQueuesContract {
    private final Tracing producerTracing = new Tracing();
    private final Tracing workerTracing = new Tracing();
    private final Map<String, String> traceparentSeenByHandler = new ConcurrentHashMap<>();
    private Queue<String, String> producer;
    private Queue<String, String> worker;

    /** The storage the producer's queue uses (a new one per call, or the same for both queues). */
    abstract Storage producerStorage();

    /** The storage the worker's queue uses: the same data as {@link #producerStorage()}. */
    abstract Storage workerStorage();

    /** A queue name no other test uses. */
    abstract String queueName();

    /** Closes the storages (and deletes what the test stored), after both queues are closed. */
    abstract void closeStorages();

    @AfterEach
    void closeQueues() {
        if (worker != null) {
            worker.close();
        }
        if (producer != null) {
            producer.close();
        }
        producerTracing.close();
        workerTracing.close();
        closeStorages();
    }

    @Test
    void consumerSpansOfEveryAttemptLinkToTheProducerSpanOfTheirJob() {
        String name = queueName();
        producer = Queue.builder(producerStorage(), String.class, String.class).name(name)
                .maxAttempts(2).backoff(Backoff.fixed(Duration.ofMillis(10)))
                .interceptor(JobTracing.create(producerTracing.sdk))
                .closeOnJvmShutdown(false)
                .build();
        worker = Queue.builder(workerStorage(), String.class, String.class).name(name).concurrency(2)
                .interceptor(JobTracing.create(workerTracing.sdk))
                .closeOnJvmShutdown(false)
                .handler(job -> {
                    traceparentSeenByHandler.put(job.id() + "#" + job.attempt(), job.metadata().getOrDefault("traceparent", ""));
                    if (job.payload().equals("bad") || job.payload().equals("flaky") && job.attempt() == 1) {
                        throw new IllegalStateException(job.payload() + " attempt " + job.attempt());
                    }
                    return "done";
                })
                .build();
        worker.start();

        Span request = producerTracing.sdk.getTracer("app").spanBuilder("POST /orders").startSpan();
        Scope scope = request.makeCurrent();
        try {
            producer.enqueue("ok", "ok");
            producer.enqueue("flaky", "flaky");
            producer.enqueue("bad", "bad");
        } finally {
            scope.close();
            request.end();
        }
        Eventually.await("every job finished", () -> state("ok") == JobState.COMPLETED
                && state("flaky") == JobState.COMPLETED && state("bad") == JobState.FAILED);
        Eventually.await("5 consumer spans", () -> workerTracing.spansNamed("process " + name).size() == 5);

        List<SpanData> sends = producerTracing.spansNamed("send " + name);
        assertEquals(3, sends.size());
        for (SpanData send : sends) {
            assertEquals(SpanKind.PRODUCER, send.getKind());
            assertEquals(request.getSpanContext().getSpanId(), send.getParentSpanId());
        }
        assertTrue(producerTracing.spansNamed("process " + name).isEmpty(), "the producer ran nothing");
        assertTrue(workerTracing.spansNamed("send " + name).isEmpty(), "the worker enqueued nothing");

        assertAttempts(name, sends, "ok", StatusCode.UNSET);
        assertAttempts(name, sends, "flaky", StatusCode.ERROR, StatusCode.UNSET);
        assertAttempts(name, sends, "bad", StatusCode.ERROR, StatusCode.ERROR);
    }

    private void assertAttempts(String name, List<SpanData> sends, String jobId, StatusCode... statuses) {
        SpanData send = sends.stream().filter(s -> jobId.equals(s.getAttributes().get(JobTracing.MESSAGE_ID)))
                .findFirst().orElseThrow(() -> new AssertionError("no producer span of " + jobId));
        List<SpanData> attempts = workerTracing.spansNamed("process " + name).stream()
                .filter(s -> jobId.equals(s.getAttributes().get(JobTracing.MESSAGE_ID)))
                .sorted(Comparator.comparing(s -> s.getAttributes().get(JobTracing.ATTEMPT)))
                .collect(Collectors.toList());
        assertEquals(statuses.length, attempts.size(), () -> jobId + ": " + attempts);
        for (int i = 0; i < attempts.size(); i++) {
            SpanData attempt = attempts.get(i);
            String what = jobId + " attempt " + (i + 1);
            assertEquals(i + 1L, attempt.getAttributes().get(JobTracing.ATTEMPT), what);
            assertEquals(SpanKind.CONSUMER, attempt.getKind(), what);
            assertEquals(name, attempt.getAttributes().get(JobTracing.DESTINATION), what);
            assertEquals(send.getTraceId(), attempt.getTraceId(), what);
            assertEquals(send.getSpanId(), attempt.getParentSpanId(), what);
            assertEquals(1, attempt.getLinks().size(), what);
            assertEquals(send.getSpanId(), attempt.getLinks().get(0).getSpanContext().getSpanId(), what);
            assertEquals(statuses[i], attempt.getStatus().getStatusCode(), what);
            if (statuses[i] == StatusCode.ERROR) {
                assertEquals(IllegalStateException.class.getName(), attempt.getAttributes().get(JobTracing.ERROR_TYPE), what);
                assertEquals("exception", attempt.getEvents().get(0).getName(), what);
            }
            assertTrue(traceparentSeenByHandler.get(jobId + "#" + (i + 1)).contains(send.getSpanId()),
                    what + ": the handler sees the producer's traceparent in job.metadata()");
        }
    }

    private JobState state(String id) {
        return producer.status(id).map(s -> s.state()).orElse(null);
    }
}
