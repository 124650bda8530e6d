package dev.jobqueue.file;

import dev.jobqueue.Queue;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Child process of the processing kill test: a file-backed Queue worker that prints
 * {@code run <id>} when a handler starts and keeps working until it is killed.
 * Arguments: {@code dir queueName concurrency visibilityTimeoutMillis}.
 */
public final class ProcessChild {
    private ProcessChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String name = args[1];
        int concurrency = Integer.parseInt(args[2]);
        Duration visibility = Duration.ofMillis(Long.parseLong(args[3]));
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        FileStorage storage = FileStorage.open(dir);
        Queue<String, String> queue = Queue.builder(storage, String.class, String.class)
                .name(name).concurrency(concurrency).visibilityTimeout(visibility)
                .handler(job -> {
                    synchronized (out) {
                        out.println("run " + job.id());
                    }
                    Thread.sleep(1); // some work, so that the kill lands inside handlers too
                    return "done by child";
                })
                .build();
        queue.start();
        Thread.sleep(Long.MAX_VALUE); // until SIGKILL
    }
}
