package dev.jobqueue.file;

import dev.jobqueue.Queue;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Child process of {@link QueueSigtermTest}: a file-backed worker built with the defaults (so it
 * closes itself on JVM shutdown) that prints {@code pid <pid>}, then {@code run <id>} when a
 * handler starts and {@code done <id>} when one returns. It never closes anything itself: only
 * the shutdown hook can hand its jobs back. Arguments:
 * {@code dir queueName shutdownGraceMillis handlerMillis visibilityTimeoutMillis}.
 */
public final class SigtermQueueChild {
    private SigtermQueueChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String name = args[1];
        Duration grace = Duration.ofMillis(Long.parseLong(args[2]));
        long handlerMillis = Long.parseLong(args[3]);
        Duration visibility = Duration.ofMillis(Long.parseLong(args[4]));
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        FileStorage storage = FileStorage.open(dir);
        Queue<String, String> queue = Queue.builder(storage, String.class, String.class)
                .name(name).visibilityTimeout(visibility).shutdownGrace(grace)
                .handler(job -> {
                    out.println("run " + job.id());
                    Thread.sleep(handlerMillis); // interrupted when the grace runs out
                    out.println("done " + job.id());
                    return "done by child";
                })
                .build();
        out.println("pid " + ProcessHandle.current().pid());
        queue.start();
        Thread.sleep(Long.MAX_VALUE); // until SIGTERM
    }
}
