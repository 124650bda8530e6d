package dev.jobqueue.examples;

import dev.jobqueue.EnqueueResult;
import dev.jobqueue.JobStatus;
import dev.jobqueue.Queue;
import dev.jobqueue.memory.MemoryStorage;
import java.time.Duration;

/**
 * The smallest useful program: an in-memory queue whose handler greets people. It enqueues one
 * job, waits for another's result, and prints the status of both.
 *
 * <pre>
 * mvn -B -q -pl examples -am test-compile exec:java -Dexec.mainClass=dev.jobqueue.examples.QuickStart
 * </pre>
 *
 * <p>Switching to a durable or shared storage changes only the first line of {@code main}.
 */
public final class QuickStart {
    private QuickStart() {
    }

    public static void main(String[] args) throws InterruptedException {
        try (MemoryStorage storage = new MemoryStorage();
             Queue<String, String> queue = Queue.builder(storage, String.class, String.class)
                     .name("greetings")
                     .concurrency(2)
                     .handler(job -> "Hello, " + job.payload() + "!")
                     .build()) {
            queue.start();

            EnqueueResult<String> queued = queue.enqueue("greet-1", "world");
            System.out.println("enqueue(greet-1)        -> " + queued.kind() + ", state " + queued.state());

            String reply = queue.enqueueAndWait("greet-2", "job-queue", Duration.ofSeconds(5));
            System.out.println("enqueueAndWait(greet-2) -> " + reply);

            // Waiting on an id that already exists waits for (or returns) that same job.
            queue.enqueueAndWait("greet-1", "ignored: the first payload stands", Duration.ofSeconds(5));
            for (String id : new String[] {"greet-1", "greet-2"}) {
                JobStatus<String> s = queue.status(id).orElseThrow();
                System.out.println("status(" + id + ")       -> " + s.state() + ", result \"" + s.result()
                        + "\", attempts " + s.attempts());
            }
            EnqueueResult<String> again = queue.enqueue("greet-2", "someone else");
            System.out.println("enqueue(greet-2) again  -> " + again.kind() + ", cached result \"" + again.result() + "\"");
        }
    }
}
