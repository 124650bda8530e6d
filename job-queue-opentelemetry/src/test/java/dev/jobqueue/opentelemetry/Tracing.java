package dev.jobqueue.opentelemetry;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One "process" of a test: an OpenTelemetry SDK with the W3C propagator whose spans end in an
 * in-memory exporter. Two of them stand for a producer and a worker that share nothing but the
 * storage, so a link between their spans can only come through the job's metadata.
 */
final class Tracing implements AutoCloseable {
    final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();

    List<SpanData> spans() {
        return exporter.getFinishedSpanItems();
    }

    List<SpanData> spansNamed(String name) {
        return spans().stream().filter(s -> s.getName().equals(name)).collect(Collectors.toList());
    }

    @Override
    public void close() {
        sdk.close();
    }
}
