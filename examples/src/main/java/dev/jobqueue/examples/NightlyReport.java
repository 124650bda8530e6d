package dev.jobqueue.examples;

import dev.jobqueue.MisfirePolicy;
import dev.jobqueue.Queue;
import dev.jobqueue.Schedule;
import dev.jobqueue.ScheduleInfo;
import dev.jobqueue.memory.MemoryStorage;
import java.time.Duration;
import java.time.ZoneId;

/**
 * A recurring job: a sales report every night at 03:00 Berlin time, plus (to see something within
 * seconds) a heartbeat report every 2 seconds. Every process serving the queue upserts the same
 * schedules at start-up (idempotent) and fires them; each fire time's job is enqueued once, with
 * the id {@code <schedule id>@<fire time in epoch millis>}.
 *
 * <pre>
 * mvn -B -q -pl examples -am test-compile exec:java -Dexec.mainClass=dev.jobqueue.examples.NightlyReport -Dexec.args=7
 * </pre>
 */
public final class NightlyReport {
    private NightlyReport() {
    }

    /**
     * Runs the queue for {@code args[0]} seconds (default 7).
     *
     * @param args the run time in seconds
     * @throws InterruptedException when interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 7;
        try (MemoryStorage storage = new MemoryStorage();
             Queue<String, String> reports = Queue.builder(storage, String.class, String.class)
                     .name("reports")
                     .handler(job -> {
                         System.out.println("building the " + job.payload() + " report (job " + job.id() + ")");
                         return "done";
                     })
                     .build()) {
            reports.schedules().upsert(Schedule.<String>cron("nightly-sales", "0 3 * * *")
                    .zone(ZoneId.of("Europe/Berlin"))
                    .payload("sales")
                    .misfire(MisfirePolicy.RUN_ONCE));        // a night missed by a deployment still gets its report
            reports.schedules().upsert(Schedule.<String>every("heartbeat", Duration.ofSeconds(2))
                    .payload("heartbeat")
                    .misfire(MisfirePolicy.SKIP));
            for (ScheduleInfo<String> s : reports.schedules().list()) {
                System.out.println(s.id() + ": " + s.schedule() + ", next at " + s.nextFireAt());
            }
            reports.start();
            Thread.sleep(seconds * 1000);
        }
    }
}
