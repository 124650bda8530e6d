package dev.jobqueue.snippets;

import dev.jobqueue.BackOffException;
import dev.jobqueue.Backoff;
import dev.jobqueue.CancelResult;
import dev.jobqueue.EnqueueOptions;
import dev.jobqueue.ExecutionTimeoutException;
import dev.jobqueue.JobError;
import dev.jobqueue.JobFailedException;
import dev.jobqueue.JobHandler;
import dev.jobqueue.NonRetryableException;
import dev.jobqueue.Queue;
import dev.jobqueue.QueueLimits;
import dev.jobqueue.SnoozeException;
import dev.jobqueue.contract.ExecutionControlContract;
import dev.jobqueue.snippets.Shop.Order;
import dev.jobqueue.snippets.Shop.Payments;
import dev.jobqueue.snippets.Shop.Receipt;
import dev.jobqueue.spi.Storage;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;

/** The examples of execution control (timeouts, cancel, limits, retry policy, executors): compiled, never run. */
@SuppressWarnings("unused")
abstract class ExecutionSnippets {
    Storage storage;
    Payments payments;
    Logger log;
    Queue.Builder<Order, Receipt> builder;
    Queue<Order, Receipt> queue;
    Order order;
    Warehouse warehouse;
    MailApi mailApi;
    Mailer mailer;
    ThreadFactory namedThreads;

    record Mail(String to, String body) {
    }

    interface Warehouse {
        boolean hasStock(Order order);
    }

    interface MailApi {
        HttpResponse<String> send(Mail mail);
    }

    interface Mailer {
        Void send(Mail mail);
    }

    /** A client exception with an HTTP status. */
    static final class HttpStatusException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        HttpStatusException(int status) {
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    void executionTimeoutException() {
        // snippet: execution-timeout-exception
        builder.afterExecution((job, outcome) -> {
            if (outcome.failure() instanceof ExecutionTimeoutException t) {
                log.warn("{} ran over its {} timeout", job.id(), t.timeout());
            }
            return outcome;
        });
        // end-snippet
    }

    void nonRetryableException() {
        // snippet: non-retryable-exception
        JobHandler<Order, Receipt> handler = job -> {
            if (job.payload().cents() <= 0) {
                throw new NonRetryableException("BAD_AMOUNT", "amount must be positive: " + job.payload().cents());
            }
            return payments.charge(job.payload());
        };
        // end-snippet
    }

    void snoozeException() {
        // snippet: snooze-exception
        JobHandler<Order, Receipt> handler = job -> {
            if (!warehouse.hasStock(job.payload())) {
                throw new SnoozeException(Duration.ofMinutes(10));   // try again in 10 minutes, same attempt
            }
            return payments.charge(job.payload());
        };
        // end-snippet
    }

    void backOffException() {
        // snippet: back-off-exception
        JobHandler<Mail, Void> handler = job -> {
            HttpResponse<String> r = mailApi.send(job.payload());
            if (r.statusCode() == 429) {
                throw new BackOffException(Duration.ofSeconds(30));   // every worker of the queue pauses 30 s
            }
            return null;
        };
        // end-snippet
    }

    void queueSetLimits() {
        // snippet: queue-set-limits
        queue.setLimits(QueueLimits.NONE.withMaxRunning(4).withRate(100, Duration.ofMinutes(1)));
        // end-snippet
    }

    void queueTimeout() {
        // snippet: queue-timeout
        Queue<Order, Receipt> queue = Queue.builder(storage, Order.class, Receipt.class)
                .timeout(Duration.ofSeconds(30))        // interrupt attempts after 30 s: TIMEOUT failure
                .timeoutGrace(Duration.ofSeconds(5))    // report handlers that ignore the interrupt 5 s later
                .handler(job -> payments.charge(job.payload()))
                .build();
        // end-snippet
    }

    void queueBuilderLimits() {
        // snippet: queue-builder-limits
        Queue<Mail, Void> mails = Queue.builder(storage, Mail.class, Void.class).name("mails")
                .limits(QueueLimits.NONE.withMaxRunning(10).withRate(50, Duration.ofSeconds(1)))
                .handler(job -> mailer.send(job.payload()))
                .build();
        // end-snippet
    }

    void queueRetryIf() {
        // snippet: queue-retry-if
        Queue<Order, Receipt> queue = Queue.builder(storage, Order.class, Receipt.class)
                .retryIf(t -> !(t instanceof HttpStatusException h) || h.status() >= 500)   // 4xx: fail at once
                .nonRetryable(IllegalArgumentException.class)
                .handler(job -> payments.charge(job.payload()))
                .build();
        // end-snippet
    }

    void queueExecutor() {
        // snippet: queue-executor
        ExecutorService handlers = Executors.newFixedThreadPool(8, namedThreads);   // owned by the application
        Queue<Order, Receipt> queue = Queue.builder(storage, Order.class, Receipt.class)
                .concurrency(8)
                .executor(handlers)
                .handler(job -> payments.charge(job.payload()))
                .build();
        // end-snippet
    }

    void queueVirtualThreads() {
        // snippet: queue-virtual-threads
        Queue<Order, Receipt> queue = Queue.builder(storage, Order.class, Receipt.class)
                .virtualThreads(true)     // Java 21+
                .concurrency(500)         // jobs that mostly wait on HTTP calls
                .handler(job -> payments.charge(job.payload()))
                .build();
        // end-snippet
    }

    // snippet: execution-control-contract
    class MyStorageExecutionControlTest extends ExecutionControlContract {
        @Override
        protected Storage createStorage(Clock clock) {
            return new MyStorage(clock);
        }
    }
    // end-snippet

    void readmeExecutionTimeouts() throws InterruptedException {
        // snippet: readme-execution-timeouts
        Queue<Order, Receipt> queue = Queue.builder(storage, Order.class, Receipt.class)
                .timeout(Duration.ofSeconds(30))               // every attempt of this worker
                .handler(job -> payments.charge(job.payload()))
                .build();
        queue.enqueue("order-44", order, EnqueueOptions.builder()
                .timeout(Duration.ofMinutes(5))                // this job may take longer
                .build());
        try {
            queue.enqueueAndWait("order-45", order, Duration.ofMinutes(1));
        } catch (JobFailedException e) {
            if (JobError.TIMEOUT.equals(e.error().code())) {
                log.warn("order-45 timed out on every attempt");
            }
        }
        // end-snippet
    }

    void readmeCancelRunning() {
        // snippet: readme-cancel-running
        // any process, any host: the worker running "report-9" interrupts its handler within about a second
        CancelResult r = queue.cancel("report-9");
        // in the handler: stop early when asked
        JobHandler<Order, Receipt> handler = job -> {
            for (int step = 0; step < 1000 && !job.isCancelled(); step++) {
                Thread.sleep(10);                              // throws InterruptedException when cancelled
            }
            return null;                                      // discarded: the job stays CANCELLED
        };
        // end-snippet
    }

    void readmeRateLimits() {
        // snippet: readme-rate-limits
        Queue<Mail, Void> mails = Queue.builder(storage, Mail.class, Void.class).name("mails")
                .concurrency(20)                                          // this process
                .limits(QueueLimits.NONE.withMaxRunning(10)                // all processes together
                        .withRate(50, Duration.ofSeconds(1)))             // at most 50 starts per second
                .handler(job -> {
                    HttpResponse<String> r = mailApi.send(job.payload());
                    if (r.statusCode() == 429) {
                        throw new BackOffException(Duration.ofSeconds(30));   // whole queue pauses, job snoozed
                    }
                    return null;
                })
                .build();
        mails.start();                                                    // writes the limits
        mails.setLimits(QueueLimits.NONE.withMaxRunning(2));              // later, from anywhere
        mails.throttle(Duration.ofMinutes(1));                            // or hold back every claim for a minute
        // end-snippet
    }

    void readmeRetryPolicy() {
        // snippet: readme-retry-policy
        Queue<Order, Receipt> queue = Queue.builder(storage, Order.class, Receipt.class)
                .maxAttempts(5)
                .backoff(Backoff.exponential(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(5), 0.2))
                .nonRetryable(IllegalArgumentException.class)            // and subclasses: FAILED at once
                .retryIf(t -> !(t instanceof HttpStatusException h) || h.status() >= 500)
                .handler(job -> {
                    if (!warehouse.hasStock(job.payload())) {
                        throw new SnoozeException(Duration.ofMinutes(10));   // later, attempt not used
                    }
                    if (job.payload().cents() <= 0) {
                        throw new NonRetryableException("BAD_AMOUNT", "nothing to charge");
                    }
                    return payments.charge(job.payload());
                })
                .build();
        queue.enqueue("order-46", order, EnqueueOptions.builder()
                .backoff(Backoff.fixed(Duration.ofSeconds(30)))         // this job's own retry delays
                .build());
        // end-snippet
    }

    void readmeVirtualThreads() {
        // snippet: readme-virtual-threads
        // Java 21+: one virtual thread per handler slot; on Java 17 build() fails naming virtualThreads
        Queue<Order, Receipt> io = Queue.builder(storage, Order.class, Receipt.class)
                .virtualThreads(true)
                .concurrency(1000)
                .handler(job -> payments.charge(job.payload()))
                .build();
        // or the application's executor, which must run `concurrency` tasks at once and is never shut down by the queue
        ExecutorService pool = Executors.newFixedThreadPool(16, namedThreads);
        Queue<Order, Receipt> pooled = Queue.builder(storage, Order.class, Receipt.class)
                .concurrency(16)
                .executor(pool)
                .handler(job -> payments.charge(job.payload()))
                .build();
        // end-snippet
    }
}
