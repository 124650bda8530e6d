package dev.jobqueue.snippets;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.jobqueue.Backoff;
import dev.jobqueue.CancelResult;
import dev.jobqueue.EnqueueOptions;
import dev.jobqueue.EnqueueRequest;
import dev.jobqueue.EnqueueResult;
import dev.jobqueue.JobCancelledException;
import dev.jobqueue.JobError;
import dev.jobqueue.JobException;
import dev.jobqueue.JobFailedException;
import dev.jobqueue.JobHandler;
import dev.jobqueue.JobTimeoutException;
import dev.jobqueue.Queue;
import dev.jobqueue.QueueListener;
import dev.jobqueue.Reaper;
import dev.jobqueue.ReaperListener;
import dev.jobqueue.Serde;
import dev.jobqueue.SerdeException;
import dev.jobqueue.TtlUpdateResult;
import dev.jobqueue.memory.MemoryStorage;
import dev.jobqueue.snippets.Shop.Alerts;
import dev.jobqueue.snippets.Shop.Order;
import dev.jobqueue.snippets.Shop.Payments;
import dev.jobqueue.snippets.Shop.Receipt;
import dev.jobqueue.spi.StalledJob;
import dev.jobqueue.spi.Storage;
import dev.jobqueue.contract.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;

/** The examples in the Javadoc of the API package (dev.jobqueue) and of MemoryStorage: compiled, never run. */
@SuppressWarnings("unused")
abstract class ApiSnippets {
    Storage storage;
    Queue<Order, Receipt> queue;
    Queue.Builder<Order, Receipt> builder;
    Payments payments;
    Alerts alerts;
    Logger log;
    Order order;
    Order order41;
    Order order42;
    Order orderA;
    Order orderB;
    Order request;
    Order payload;
    Receipt fallback;
    String id;
    List<Order> orders;
    Serde<Order> serde;
    byte[] bytes;
    ObjectMapper myObjectMapper;

    abstract Receipt charge(Order order);

    abstract Receipt ship(Order order);

    abstract String accepted(String id);

    void afterExecution() {
        // snippet: after-execution
        builder.afterExecution((job, outcome) -> outcome.succeeded()
                ? outcome.withResult(outcome.result().redacted())
                : outcome.withResultTtl(Duration.ofDays(7)));
        // end-snippet
    }

    void backoff() {
        // snippet: backoff
        Backoff b = Backoff.exponential(Duration.ofMillis(500), 2.0, Duration.ofMinutes(1), 0.2);
        Queue.builder(storage, Order.class, Receipt.class).backoff(b).build();
        // end-snippet
    }

    void cancelResult() {
        // snippet: cancel-result
        if (queue.cancel("report-7") == CancelResult.COMPLETED) {
            log.info("report-7 had already finished");
        }
        // end-snippet
    }

    void ttlUpdateResult() {
        // snippet: ttl-update-result
        if (queue.updateResultTtl("invoice-42", Duration.ofDays(30)) == TtlUpdateResult.NOT_TERMINAL) {
            log.info("invoice-42 has not finished yet; its result TTL is set when it does");
        }
        // end-snippet
    }

    void enqueueOptions() {
        // snippet: enqueue-options
        queue.enqueue("report-7", request, EnqueueOptions.builder()
                .delay(Duration.ofMinutes(5))
                .priority(10)
                .resultTtl(Duration.ofDays(1))
                .build());
        // end-snippet
    }

    void enqueueRequest() {
        // snippet: enqueue-request
        queue.enqueueAll(List.of(
                EnqueueRequest.of("a", orderA),
                EnqueueRequest.of("b", orderB, EnqueueOptions.builder().priority(5).build())));
        // end-snippet
    }

    void enqueueResult() {
        // snippet: enqueue-result
        EnqueueResult<Receipt> r = queue.enqueue("order-42", order);
        switch (r.kind()) {
            case QUEUED -> log.info("queued as {}", r.state());      // QUEUED or DELAYED
            case DUPLICATE -> log.info("already {}", r.state());
            case COMPLETED -> log.info("done before: {}", r.result());
        }
        // end-snippet
    }

    void executionOutcome() {
        // snippet: execution-outcome
        builder.afterExecution((job, outcome) -> outcome.withResultTtl(Duration.ofMinutes(10)));
        // end-snippet
    }

    void job() {
        // snippet: job
        JobHandler<Order, Receipt> handler = job -> {
            if (job.attempt() > 1) log.info("retrying {} (attempt {}/{})", job.id(), job.attempt(), job.maxAttempts());
            return payments.charge(job.payload(), job.id() + ":" + job.fencingToken());
        };
        // end-snippet
    }

    void jobCancelledException() {
        // snippet: job-cancelled-exception
        queue.submit(id, payload).exceptionally(t -> t instanceof JobCancelledException ? fallback : null);
        // end-snippet
    }

    void jobError() {
        // snippet: job-error
        queue.error("invoice-42").ifPresent(e -> log.warn("{}: {} (after {} attempts)", e.type(), e.message(), e.attempts()));
        // end-snippet
    }

    void jobException() {
        // snippet: job-exception
        throw new JobException("CARD_DECLINED", "card ending 4242 was declined");
        // end-snippet
    }

    void jobFailedException() throws InterruptedException {
        // snippet: job-failed-exception
        try {
            queue.enqueueAndWait(id, payload, Duration.ofSeconds(10));
        } catch (JobFailedException e) {
            log.warn("{} failed: {} {}", e.jobId(), e.error().type(), e.error().message());
        }
        // end-snippet
    }

    void jobHandler() {
        // snippet: job-handler
        Queue<Order, Receipt> queue = Queue.builder(storage, Order.class, Receipt.class)
                .handler(job -> payments.charge(job.payload()))
                .build();
        // end-snippet
    }

    void jobStatus() {
        // snippet: job-status
        queue.status("order-42").ifPresent(s -> System.out.println(s.state() + " after " + s.attempts() + " attempts"));
        // end-snippet
    }

    String jobTimeoutException() throws InterruptedException {
        // snippet: job-timeout-exception
        try {
            queue.enqueueAndWait(id, payload, Duration.ofSeconds(2));
        } catch (JobTimeoutException e) {
            return accepted(id);
        }
        // end-snippet
        return id;
    }

    void queueClass() throws InterruptedException {
        // snippet: queue
        try (Queue<Order, Receipt> queue = Queue.builder(storage, Order.class, Receipt.class)
                .name("orders")
                .concurrency(8)
                .handler(job -> payments.charge(job.payload()))
                .build()) {
            queue.start();
            queue.enqueue("order-41", order41);                                     // fire and forget
            Receipt r = queue.enqueueAndWait("order-42", order42, Duration.ofSeconds(10)); // request/response
        }
        // end-snippet
    }

    void queueEnqueueAsync() throws InterruptedException {
        // snippet: queue-enqueue-async
        Semaphore inFlight = new Semaphore(256);
        for (Order o : orders) {
            inFlight.acquire();
            queue.enqueueAsync(o.id(), o).whenComplete((r, e) -> inFlight.release());
        }
        // end-snippet
    }

    void queueBuilder() {
        // snippet: queue-builder
        Queue.Builder<Order, Receipt> b = Queue.builder(storage, Order.class, Receipt.class).name("orders");
        Queue<Order, Receipt> producer = b.build();
        b.concurrency(4);
        b.handler(job -> charge(job.payload()));
        Queue<Order, Receipt> consumer = b.build();   // producer is unaffected: still without handler
        // end-snippet
    }

    void queueObjectMapper() {
        // snippet: queue-object-mapper
        ObjectMapper mapper = JsonMapper.builder().findAndAddModules()
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
        Queue.builder(storage, Order.class, Receipt.class).objectMapper(mapper).build();
        // end-snippet
    }

    void queueListener() {
        // snippet: queue-listener
        builder.listener(new QueueListener() {
            public void failed(String jobId, JobError error) { alerts.send(jobId + ": " + error.message()); }
        });
        // end-snippet
    }

    void reaper() {
        // snippet: reaper
        try (Reaper reaper = Reaper.builder(storage).name("orders").leaderElection(true).build()) {
            reaper.start();
            // ... until the application stops
        }
        // end-snippet
    }

    void reaperBuilder() {
        // snippet: reaper-builder
        Reaper reaper = Reaper.builder(storage).name("orders").scanInterval(Duration.ofSeconds(2))
                .leaderElection(true).lockTtl(Duration.ofSeconds(15)).renewInterval(Duration.ofSeconds(5)).build();
        // end-snippet
    }

    void reaperListener() {
        // snippet: reaper-listener
        Reaper.builder(storage).listener(new ReaperListener() {
            public void stalled(StalledJob job) { log.warn("job {} stalled on {} ({}x)", job.id(), job.workerId(), job.stalls()); }
        }).build();
        // end-snippet
    }

    void serde() {
        // snippet: serde
        Serde<List<Order>> serde = Serde.json(new TypeReference<List<Order>>() {});
        Serde<Order> custom = Serde.json(Order.class, myObjectMapper);
        Serde<byte[]> raw = new Serde<>() {
            public byte[] serialize(byte[] v) { return v; }
            public byte[] deserialize(byte[] b) { return b; }
        };
        // end-snippet
    }

    void serdeException() {
        // snippet: serde-exception
        try {
            serde.deserialize(bytes);
        } catch (SerdeException e) {
            log.warn("bad payload", e);
        }
        // end-snippet
    }

    void readmeUsingTheQueue() throws InterruptedException {
        // snippet: readme-using-the-queue
        Storage storage = new MemoryStorage();          // or FileStorage / RedisStorage: nothing else changes
        try (Queue<Order, Receipt> queue = Queue.builder(storage, Order.class, Receipt.class)
                .name("orders")                           // namespace on the storage, [A-Za-z0-9._-]{1,128}
                .concurrency(8)
                .handler(job -> payments.charge(job.payload(), job.id()))
                .build();
             Reaper reaper = Reaper.builder(storage).name("orders").leaderElection(true).build()) {
            queue.start();
            reaper.start();
            queue.enqueue("order-41", order41);                                            // fire and forget
            Receipt r = queue.enqueueAndWait("order-42", order42, Duration.ofSeconds(10)); // request/response
            queue.status("order-41").ifPresent(s -> System.out.println(s.state()));
        }
        // end-snippet
    }

    void memoryStorage() {
        // snippet: memory-storage
        Storage storage = new MemoryStorage();
        Queue<Order, Receipt> queue = Queue.builder(storage, Order.class, Receipt.class)
                .name("orders").handler(job -> ship(job.payload())).build();
        queue.start();

        // in tests, drive time by hand with the ManualClock of the job-queue-testkit module (test scope):
        ManualClock clock = new ManualClock();
        Storage testStorage = new MemoryStorage(clock);
        // end-snippet
    }

    void memoryPackage() {
        // snippet: memory-package
        Storage storage = new MemoryStorage();
        // end-snippet
    }

    void storage() {
        // snippet: storage
        Storage storage = new MemoryStorage();
        Queue<Order, Receipt> queue = Queue.builder(storage, Order.class, Receipt.class).name("orders").build();
        // end-snippet
    }
}
