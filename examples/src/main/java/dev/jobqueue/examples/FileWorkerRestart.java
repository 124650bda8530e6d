package dev.jobqueue.examples;

import dev.jobqueue.EnqueueRequest;
import dev.jobqueue.JobState;
import dev.jobqueue.JobStatus;
import dev.jobqueue.Queue;
import dev.jobqueue.Reaper;
import dev.jobqueue.file.FileStorage;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A file-backed worker survives being killed: this program enqueues 200 jobs into a
 * {@link FileStorage} directory, starts a worker process, kills it with SIGKILL in the middle of
 * the work, starts a new worker process (with a {@link Reaper} that hands the dead worker's jobs
 * back), and shows that every job finishes. Three processes share one directory: this one
 * (producer and observer) and the two workers, one after the other.
 *
 * <pre>
 * mvn -B -q -pl examples -am test-compile exec:java -Dexec.mainClass=dev.jobqueue.examples.FileWorkerRestart
 * </pre>
 *
 * <p>Pass a directory as the first argument to keep the jobs there; by default a temporary
 * directory is used and deleted at the end.
 */
public final class FileWorkerRestart {
    private static final String QUEUE = "thumbnails";
    private static final int JOBS = 200;
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private FileWorkerRestart() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--worker")) {
            runWorker(Path.of(args[1]));
            return;
        }
        boolean temporary = args.length == 0;
        Path dir = temporary ? Files.createTempDirectory("file-worker-restart") : Path.of(args[0]);
        try (FileStorage storage = FileStorage.open(dir);
             Queue<Integer, String> producer = Queue.builder(storage, Integer.class, String.class).name(QUEUE).build()) {
            List<EnqueueRequest<Integer>> jobs = new ArrayList<>();
            for (int i = 1; i <= JOBS; i++) {
                jobs.add(EnqueueRequest.of("image-" + i, i));
            }
            producer.enqueueAll(jobs);
            System.out.println("enqueued " + JOBS + " jobs into " + dir);

            Process first = startWorker(dir);
            System.out.println("worker 1 started (pid " + first.pid() + ")");
            awaitCompleted(producer, JOBS / 3);
            first.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no graceful stop
            System.out.println("worker 1 killed with SIGKILL: " + describe(producer.counts()));

            Process second = startWorker(dir);
            System.out.println("worker 2 started (pid " + second.pid() + "); its reaper requeues worker 1's jobs");
            awaitCompleted(producer, JOBS);
            second.getOutputStream().close(); // tells worker 2 to stop gracefully
            second.waitFor();
            System.out.println("worker 2 stopped: " + describe(producer.counts()));

            int ranTwice = 0;
            for (int i = 1; i <= JOBS; i++) {
                JobStatus<String> status = producer.status("image-" + i).orElseThrow();
                if (status.state() != JobState.COMPLETED) {
                    throw new IllegalStateException("image-" + i + " is " + status.state());
                }
                ranTwice += status.attempts() > 1 ? 1 : 0;
            }
            System.out.println("every one of the " + JOBS + " jobs completed; " + ranTwice
                    + " were handed out a second time because worker 1 died while holding them");
        } finally {
            if (temporary) {
                deleteRecursively(dir);
            }
        }
    }

    /** A worker process: processes jobs until its standard input closes. */
    private static void runWorker(Path dir) throws IOException, InterruptedException {
        try (FileStorage storage = FileStorage.open(dir);
             Reaper reaper = Reaper.builder(storage).name(QUEUE).scanInterval(Duration.ofMillis(200)).build();
             Queue<Integer, String> worker = Queue.builder(storage, Integer.class, String.class)
                     .name(QUEUE)
                     .concurrency(4)
                     .visibilityTimeout(Duration.ofSeconds(2)) // a dead worker's jobs come back after 2 s
                     .handler(job -> {
                         Thread.sleep(20); // "resize an image"
                         return "thumbnail of image " + job.payload() + " (attempt " + job.attempt() + ")";
                     })
                     .build()) {
            reaper.start();
            worker.start();
            while (System.in.read() != -1) {
                // run until the parent closes our standard input
            }
        }
    }

    private static Process startWorker(Path dir) throws IOException, URISyntaxException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", classPath(), FileWorkerRestart.class.getName(), "--worker", dir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    /** The class path this program runs with (exec:java runs it in a class loader of its own). */
    private static String classPath() throws URISyntaxException {
        if (FileWorkerRestart.class.getClassLoader() instanceof URLClassLoader loader) {
            List<String> entries = new ArrayList<>();
            for (URL url : loader.getURLs()) {
                entries.add(Path.of(url.toURI()).toString());
            }
            return String.join(File.pathSeparator, entries);
        }
        return System.getProperty("java.class.path");
    }

    private static void awaitCompleted(Queue<Integer, String> queue, long completed) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        long last = -1;
        while (true) {
            long now = queue.counts().get(JobState.COMPLETED);
            if (now != last && (now / 25 != last / 25 || now >= completed)) {
                System.out.println("  completed " + now + "/" + JOBS);
            }
            last = now;
            if (now >= completed) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + now + " jobs completed after " + PATIENCE);
            }
            Thread.sleep(50);
        }
    }

    private static String describe(Map<JobState, Long> counts) {
        return counts.get(JobState.COMPLETED) + " completed, " + counts.get(JobState.PROCESSING)
                + " held by a worker, " + counts.get(JobState.QUEUED) + " queued";
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
