package dev.jobqueue.snippets;

// The README's quick start, with its imports, as a user would paste it (GreetingsTest runs it).
// snippet: readme-quick-start
import dev.jobqueue.JobStatus;
import dev.jobqueue.Queue;
import dev.jobqueue.memory.MemoryStorage;
import dev.jobqueue.spi.Storage;
import java.time.Duration;

public class Greetings {
    public static void main(String[] args) throws InterruptedException {
        Storage storage = new MemoryStorage();   // or FileStorage.open(dir), or RedisStorage.builder().uri(url).build()
        try (Queue<String, String> queue = Queue.builder(storage, String.class, String.class)
                .name("greetings")
                .concurrency(2)
                .handler(job -> "Hello, " + job.payload() + "!")
                .build()) {
            queue.start();
            queue.enqueue("greet-1", "world");                                            // fire and forget
            String reply = queue.enqueueAndWait("greet-2", "you", Duration.ofSeconds(5)); // request/response
            System.out.println(reply + " " + queue.status("greet-1").map(JobStatus::state).orElseThrow());
        }
    }
}
// end-snippet
