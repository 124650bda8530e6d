package dev.jobqueue.snippets;

import dev.jobqueue.Batch;
import dev.jobqueue.EnqueueOptions;
import dev.jobqueue.Job;
import dev.jobqueue.MisfirePolicy;
import dev.jobqueue.Queue;
import dev.jobqueue.Schedule;
import dev.jobqueue.ScheduleInfo;
import dev.jobqueue.Schedules;
import dev.jobqueue.spi.Storage;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

/**
 * The examples of recurring schedules and batch handlers, in the Javadoc of dev.jobqueue and in
 * the README: compiled, never run.
 */
@SuppressWarnings("unused")
abstract class ScheduleSnippets {
    Storage storage;
    Queue<Report, String> queue;
    AuditStore auditStore;
    Mailer mailer;

    record Report(String name) {
    }

    record AuditEvent(String actor, String action) {
    }

    record Email(String to, String body) {
    }

    static final class MailException extends Exception {
        private static final long serialVersionUID = 1L;
    }

    interface AuditStore {
        void insertAll(List<AuditEvent> events);
    }

    interface Mailer {
        String send(Email email) throws MailException;
    }

    void schedule() {
        // snippet: schedule
        Schedule<Report> nightly = Schedule.cron("nightly-report", "0 3 * * *")   // 03:00 every day
                .zone(ZoneId.of("Europe/Berlin"))
                .payload(new Report("sales"))
                .options(EnqueueOptions.builder().priority(5).build())
                .misfire(MisfirePolicy.RUN_ONCE);
        queue.schedules().upsert(nightly);
        queue.schedules().upsert(Schedule.every("cache-refresh", Duration.ofMinutes(10)).payload(new Report("cache")));
        // end-snippet
    }

    void misfirePolicy() {
        // snippet: misfire-policy
        Schedule<Report> hourly = Schedule.<Report>cron("hourly-stats", "0 * * * *")
                .misfire(MisfirePolicy.SKIP);   // a missed hour is not worth running late
        // end-snippet
    }

    void scheduleInfo() {
        // snippet: schedule-info
        for (ScheduleInfo<Report> s : queue.schedules().list()) {
            System.out.println(s.id() + " next at " + s.nextFireAt() + ": " + s.schedule());
        }
        // end-snippet
    }

    void schedules() {
        // snippet: schedules
        Schedules<Report> schedules = queue.schedules();
        schedules.upsert(Schedule.<Report>cron("nightly-report", "0 3 * * *").payload(new Report("sales")));
        schedules.remove("old-report");          // jobs it already enqueued stay
        schedules.list().forEach(s -> System.out.println(s.id() + " -> " + s.nextFireAt()));
        // end-snippet
    }

    void queueSchedules() {
        // snippet: queue-schedules
        queue.schedules().upsert(Schedule.<Report>cron("nightly-report", "0 3 * * *").payload(new Report("sales")));
        queue.start();   // fires the job "nightly-report@<epoch millis>" at 03:00 UTC every day
        // end-snippet
    }

    void readmeRecurringJobs() {
        // snippet: readme-recurring-jobs
        Queue<Report, String> reports = Queue.builder(storage, Report.class, String.class)
                .name("reports")
                .handler(job -> buildReport(job.payload()))
                .build();
        // every process serving "reports" may upsert the same schedules at start-up: idempotent
        reports.schedules().upsert(Schedule.<Report>cron("nightly-sales", "0 3 * * *")
                .zone(ZoneId.of("Europe/Berlin"))
                .payload(new Report("sales")));
        reports.schedules().upsert(Schedule.<Report>every("stock-sync", Duration.ofMinutes(15))
                .payload(new Report("stock"))
                .misfire(MisfirePolicy.SKIP));
        reports.start();   // polls for due schedules every second and enqueues "nightly-sales@<epoch millis>"
        // end-snippet
    }

    abstract String buildReport(Report report);

    void batchHandler() {
        // snippet: batch-handler
        Queue<AuditEvent, Void> audit = Queue.builder(storage, AuditEvent.class, Void.class)
                .name("audit")
                .batchHandler(batch -> {
                    List<AuditEvent> events = batch.jobs().stream().map(Job::payload).toList();
                    auditStore.insertAll(events);                         // one bulk write
                    batch.jobs().forEach(job -> batch.complete(job, null));
                }, 100, Duration.ofSeconds(5))
                .build();
        // end-snippet
    }

    void queueBatchHandler() {
        // snippet: queue-batch-handler
        Queue<AuditEvent, Void> audit = Queue.builder(storage, AuditEvent.class, Void.class)
                .batchHandler(batch -> {
                    auditStore.insertAll(batch.jobs().stream().map(Job::payload).toList());
                    batch.jobs().forEach(job -> batch.complete(job, null));
                }, 100, Duration.ofSeconds(5))   // 100 per batch, or what came within 5 s
                .build();
        // end-snippet
    }

    void batch(Batch<Email, String> batch) {
        // snippet: batch
        for (Job<Email> job : batch.jobs()) {
            try {
                batch.complete(job, mailer.send(job.payload()));
            } catch (MailException e) {
                batch.fail(job, e);      // only this job is retried
            }
        }
        // end-snippet
    }

    void readmeBatchHandlers() {
        // snippet: readme-batch-handlers
        Queue<Email, String> mails = Queue.builder(storage, Email.class, String.class)
                .name("mails")
                .concurrency(2)                               // two batches at a time
                .batchHandler(batch -> {
                    for (Job<Email> job : batch.jobs()) {
                        try {
                            batch.complete(job, mailer.send(job.payload()));
                        } catch (MailException e) {
                            batch.fail(job, e);               // retried alone, per the queue's backoff
                        }
                    }
                }, 50, Duration.ofSeconds(2))                 // up to 50 mails, waiting at most 2 s for more
                .build();
        mails.start();
        // end-snippet
    }
}
