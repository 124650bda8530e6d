package dev.jobqueue.snippets;

import dev.jobqueue.AttemptTiming;
import dev.jobqueue.DeleteResult;
import dev.jobqueue.EnqueueOptions;
import dev.jobqueue.Job;
import dev.jobqueue.JobError;
import dev.jobqueue.JobInfo;
import dev.jobqueue.JobInterceptor;
import dev.jobqueue.JobPage;
import dev.jobqueue.JobState;
import dev.jobqueue.ListOrder;
import dev.jobqueue.PromoteResult;
import dev.jobqueue.Queue;
import dev.jobqueue.QueueListener;
import dev.jobqueue.RetryResult;
import dev.jobqueue.snippets.Shop.Order;
import dev.jobqueue.snippets.Shop.Payments;
import dev.jobqueue.snippets.Shop.Receipt;
import dev.jobqueue.spi.JobMetadata;
import dev.jobqueue.spi.SnapshotPage;
import dev.jobqueue.spi.Storage;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.MDC;

/**
 * The examples of the operations API, metadata, timing, interceptors and MDC, in the Javadoc of
 * dev.jobqueue and dev.jobqueue.spi and in the README: compiled, never run.
 */
@SuppressWarnings("unused")
abstract class OpsSnippets {
    Storage storage;
    Queue<Order, Receipt> queue;
    Queue.Builder<Order, Receipt> builder;
    Payments payments;
    Logger log;
    Order order;
    String requestId;

    abstract void repairDownstream();

    /** The made-up tenant context of the interceptor example. */
    static final class Tenants {
        private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

        private Tenants() {
        }

        static String current() {
            return CURRENT.get();
        }

        static void set(String tenant) {
            CURRENT.set(tenant);
        }

        static void clear() {
            CURRENT.remove();
        }
    }

    // ---------------------------------------------------------------- Javadoc of dev.jobqueue

    void retryResult() {
        // snippet: retry-result
        if (queue.retry("invoice-9") == RetryResult.NOT_RETRYABLE) {
            log.info("invoice-9 is not failed or cancelled; nothing changed");
        }
        // end-snippet
    }

    void deleteResult() {
        // snippet: delete-result
        if (queue.delete("import-3") == DeleteResult.PROCESSING) {
            log.info("import-3 is running; cancel it or wait for it to finish");
        }
        // end-snippet
    }

    void promoteResult() {
        // snippet: promote-result
        if (queue.promote("reminder-5") == PromoteResult.PROMOTED) {
            log.info("reminder-5 runs now");
        }
        // end-snippet
    }

    void listOrder() {
        // snippet: list-order
        JobPage<Order, Receipt> newestFailures = queue.list(JobState.FAILED, ListOrder.NEWEST_FIRST, 50);
        // end-snippet
    }

    void attemptTiming() {
        // snippet: attempt-timing
        Queue.builder(storage, Order.class, Receipt.class).listener(new QueueListener() {
            @Override
            public void completed(String jobId, int attempt, AttemptTiming timing) {
                log.info("{} ran {} ms after waiting {} ms", jobId, timing.duration().toMillis(), timing.queueWait().toMillis());
            }
        });
        // end-snippet
    }

    void jobInterceptor() {
        // snippet: job-interceptor
        JobInterceptor tenant = new JobInterceptor() {
            @Override
            public Map<String, String> beforeEnqueue(String queue, String jobId, Map<String, String> metadata) {
                Map<String, String> withTenant = new HashMap<>(metadata);
                withTenant.put("tenant", Tenants.current());
                return withTenant;
            }

            @Override
            public Object aroundAttempt(String queue, Job<?> job, Attempt attempt) throws Exception {
                Tenants.set(job.metadata().get("tenant"));
                try {
                    return attempt.proceed();
                } finally {
                    Tenants.clear();
                }
            }
        };
        Queue.builder(storage, Order.class, Receipt.class).interceptor(tenant);
        // end-snippet
    }

    void enqueueOptionsMetadata() {
        // snippet: enqueue-options-metadata
        queue.enqueue("order-43", order, EnqueueOptions.builder()
                .metadata(Map.of("tenant", "acme", "requestId", requestId))
                .build());
        // end-snippet
    }

    void jobInfo() {
        // snippet: job-info
        queue.inspect("order-42").ifPresent(job -> System.out.println(job.state() + " " + job.payload()
                + " tenant=" + job.metadata().get("tenant") + " attempts=" + job.attempts()));
        // end-snippet
    }

    void jobPage() {
        // snippet: job-page
        String cursor = null;
        do {
            JobPage<Order, Receipt> page = queue.list(JobState.FAILED, ListOrder.OLDEST_FIRST, cursor, 100);
            for (JobInfo<Order, Receipt> job : page.jobs()) {
                System.out.println(job.id() + ": " + job.error().message());
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        // end-snippet
    }

    void executionOutcomeTiming() {
        // snippet: execution-outcome-timing
        builder.afterExecution((job, outcome) -> {
            outcome.timing().ifPresent(t -> log.info("{} took {} ms", job.id(), t.duration().toMillis()));
            return outcome;
        });
        // end-snippet
    }

    void queueList() {
        // snippet: queue-list
        JobPage<Order, Receipt> page = queue.list(JobState.FAILED, ListOrder.NEWEST_FIRST, 20);
        page.jobs().forEach(job -> System.out.println(job.id() + " " + job.error().message()));
        // end-snippet
    }

    void queueRetryAll() {
        // snippet: queue-retry-all
        long retried = queue.retryAll(JobState.FAILED);
        log.info("{} failed jobs queued again", retried);
        // end-snippet
    }

    void queuePurge() {
        // snippet: queue-purge
        long deleted = queue.purge(JobState.COMPLETED);
        // end-snippet
    }

    void queuePause() {
        // snippet: queue-pause
        queue.pause();                 // every worker of "orders", on every host, stops taking jobs
        try {
            repairDownstream();
        } finally {
            queue.resume();            // idle workers claim again within milliseconds
        }
        // end-snippet
    }

    void queuePropagateMdc() {
        // snippet: queue-propagate-mdc
        Queue<Order, Receipt> orders = Queue.builder(storage, Order.class, Receipt.class)
                .propagateMdc("requestId", "user")
                .handler(job -> {
                    log.info("charging");   // logged with requestId and user of the enqueueing request
                    return payments.charge(job.payload());
                })
                .build();
        // end-snippet
    }

    // ---------------------------------------------------------------- Javadoc of dev.jobqueue.spi

    void jobMetadata() {
        // snippet: job-metadata
        Map<String, String> metadata = JobMetadata.requireValid(Map.of("tenant", "acme"), "metadata");
        // end-snippet
    }

    void spiSnapshotPage(String queue) {
        // snippet: spi-snapshot-page
        String cursor = null;
        do {
            SnapshotPage page = storage.listJobs(queue, JobState.FAILED, ListOrder.OLDEST_FIRST, cursor, 100);
            page.jobs().forEach(job -> System.out.println(job.id()));
            cursor = page.nextCursor();
        } while (cursor != null);
        // end-snippet
    }

    // ---------------------------------------------------------------- README

    void readmeOpsList() {
        // snippet: readme-ops-list
        JobPage<Order, Receipt> page = queue.list(JobState.FAILED, ListOrder.NEWEST_FIRST, 20);
        for (JobInfo<Order, Receipt> job : page.jobs()) {
            System.out.println(job.id() + " " + job.error().message() + " " + job.metadata());
        }
        page = queue.list(JobState.FAILED, ListOrder.NEWEST_FIRST, page.nextCursor(), 20); // next page, if hasNext()
        // end-snippet
    }

    void readmeOpsInspect() {
        // snippet: readme-ops-inspect
        queue.inspect("order-42").ifPresent(job ->
                System.out.println(job.state() + " " + job.payload() + " started " + job.startedAt()));
        // end-snippet
    }

    void readmeOpsRetry() throws InterruptedException {
        // snippet: readme-ops-retry
        RetryResult r = queue.retry("order-42");         // FAILED or CANCELLED -> QUEUED, attempts back to 0
        Receipt receipt = queue.enqueueAndWait("order-42", order, Duration.ofSeconds(30)); // waits for the rerun
        long n = queue.retryAll(JobState.FAILED);         // every failed job, 100 per storage call
        // end-snippet
    }

    void readmeOpsDelete() {
        // snippet: readme-ops-delete
        DeleteResult d = queue.delete("order-42");        // DELETED, NOT_FOUND, or PROCESSING (left alone)
        long purged = queue.purge(JobState.COMPLETED);     // every completed job, 500 per storage call
        // end-snippet
    }

    void readmeOpsPromote() {
        // snippet: readme-ops-promote
        queue.enqueue("reminder-5", order, EnqueueOptions.builder().delay(Duration.ofHours(1)).build());
        PromoteResult p = queue.promote("reminder-5");    // DELAYED (or FAILING) -> QUEUED now
        // end-snippet
    }

    void readmeOpsPause() {
        // snippet: readme-ops-pause
        queue.pause();                                    // no worker of "orders" claims, on any host
        boolean paused = queue.isPaused();                // true, in every process
        queue.resume();                                   // idle workers claim at once
        // end-snippet
    }

    void readmeMetadata() {
        // snippet: readme-metadata
        queue.enqueue("order-43", order, EnqueueOptions.builder().metadata(Map.of("tenant", "acme")).build());
        Queue<Order, Receipt> worker = Queue.builder(storage, Order.class, Receipt.class)
                .handler(job -> payments.charge(job.payload(), job.metadata().get("tenant")))
                .build();
        queue.status("order-43").ifPresent(s -> System.out.println(s.metadata()));
        // end-snippet
    }

    void readmeTiming() {
        // snippet: readme-timing
        Queue.builder(storage, Order.class, Receipt.class)
                .listener(new QueueListener() {
                    @Override
                    public void started(String jobId, int attempt, Duration queueWait) {
                        log.info("{} waited {} ms", jobId, queueWait.toMillis());
                    }

                    @Override
                    public void failed(String jobId, int attempt, JobError error, AttemptTiming timing) {
                        log.warn("{} failed for good after {} ms: {}", jobId, timing.duration().toMillis(), error.message());
                    }
                })
                .afterExecution((job, outcome) -> {
                    outcome.timing().ifPresent(t -> log.debug("{} ran {} -> {}", job.id(), t.startedAt(), t.finishedAt()));
                    return outcome;
                });
        // end-snippet
    }

    void readmeMdc() {
        // snippet: readme-mdc
        Queue<Order, Receipt> orders = Queue.builder(storage, Order.class, Receipt.class)
                .propagateMdc("requestId")                // producer's MDC entry -> metadata "mdc.requestId"
                .handler(job -> {
                    log.info("charging {}", MDC.get("jobqueue.jobId")); // also jobqueue.queue, jobqueue.attempt, requestId
                    return payments.charge(job.payload());
                })
                .build();
        // end-snippet
    }
}
