package dev.jobqueue.snippets;

import dev.jobqueue.Queue;
import dev.jobqueue.Reaper;
import dev.jobqueue.micrometer.QueueMetrics;
import dev.jobqueue.opentelemetry.JobTracing;
import dev.jobqueue.snippets.Shop.Order;
import dev.jobqueue.snippets.Shop.Payments;
import dev.jobqueue.snippets.Shop.Receipt;
import dev.jobqueue.spi.Storage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;

/** The examples of job-queue-micrometer and job-queue-opentelemetry (Javadoc and README): compiled, never run. */
@SuppressWarnings("unused")
abstract class ObservabilitySnippets {
    Storage storage;
    MeterRegistry registry;
    Payments payments;
    OpenTelemetry openTelemetry;

    void queueMetrics() {
        // snippet: queue-metrics
        QueueMetrics metrics = QueueMetrics.builder(storage).name("orders").build();
        metrics.bindTo(registry);
        Queue<Order, Receipt> queue = Queue.builder(storage, Order.class, Receipt.class).name("orders")
                .listener(metrics)
                .handler(job -> payments.charge(job.payload()))
                .build();
        Reaper reaper = Reaper.builder(storage).name("orders").listener(metrics).build();
        // end-snippet
    }

    void queueMetricsBuilder() {
        // snippet: queue-metrics-builder
        QueueMetrics metrics = QueueMetrics.builder(storage).name("orders")
                .tags(Tags.of("region", "eu-west"))
                .countsCacheTtl(Duration.ofSeconds(15))
                .build();
        // end-snippet
    }

    void readmeMicrometer() {
        // snippet: readme-micrometer
        QueueMetrics metrics = QueueMetrics.builder(storage).name("orders").build();
        metrics.bindTo(registry);                  // e.g. a PrometheusMeterRegistry; Spring Boot binds MeterBinder beans itself
        try (Queue<Order, Receipt> queue = Queue.builder(storage, Order.class, Receipt.class).name("orders")
                .listener(metrics)                 // counters and timers of this process's job events
                .handler(job -> payments.charge(job.payload()))
                .build();
             Reaper reaper = Reaper.builder(storage).name("orders").listener(metrics).build()) { // stalled jobs
            queue.start();
            reaper.start();
        }
        // end-snippet
    }

    void jobTracing() {
        // snippet: job-tracing
        JobTracing tracing = JobTracing.create(openTelemetry);
        Queue<Order, Receipt> queue = Queue.builder(storage, Order.class, Receipt.class).name("orders")
                .interceptor(tracing)
                .handler(job -> payments.charge(job.payload()))
                .build();
        // end-snippet
    }

    void jobTracingBuilder() {
        // snippet: job-tracing-builder
        JobTracing tracing = JobTracing.builder(GlobalOpenTelemetry.get()).childOfProducer(false).build();
        // end-snippet
    }

    void jobTracingBuilderClass() {
        // snippet: job-tracing-builder-class
        JobTracing.Builder builder = JobTracing.builder(openTelemetry);
        builder.childOfProducer(false);
        JobTracing tracing = builder.build();
        // end-snippet
    }

    void readmeOpenTelemetry() {
        // snippet: readme-opentelemetry
        JobTracing tracing = JobTracing.create(openTelemetry);   // the SDK, or GlobalOpenTelemetry.get()
        Queue<Order, Receipt> producer = Queue.builder(storage, Order.class, Receipt.class).name("orders")
                .interceptor(tracing)                            // span "send orders"; traceparent into the job's metadata
                .build();
        Queue<Order, Receipt> worker = Queue.builder(storage, Order.class, Receipt.class).name("orders")
                .interceptor(tracing)                            // span "process orders" per attempt, linked to "send orders"
                .handler(job -> payments.charge(job.payload()))
                .build();
        // end-snippet
    }
}
