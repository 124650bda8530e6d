package dev.jobqueue.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jobqueue.Queue;
import dev.jobqueue.memory.MemoryStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code virtualThreads(true)}: the library is compiled for Java 17, so a child JVM on a Java 21+
 * runtime proves handlers really run on virtual threads there, with concurrency still bounded.
 * (The Java 17 fail-fast is tested in job-queue-core's ExecutionOptionsTest.)
 */
class VirtualThreadsTest {
    private static final Path JAVA_25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

    /** The child: runs 20 jobs with concurrency 4 on virtual threads and prints what it saw. */
    public static void main(String[] args) throws Exception {
        MemoryStorage storage = new MemoryStorage();
        Set running = new Set();
        CountDownLatch done = new CountDownLatch(20);
        try (Queue<String, String> q = Queue.builder(storage, String.class, String.class).name("vt")
                .virtualThreads(true).concurrency(4).closeOnJvmShutdown(false)
                .handler(job -> {
                    running.enter();
                    try {
                        Thread.sleep(20);
                        return String.valueOf(Thread.class.getMethod("isVirtual").invoke(Thread.currentThread()));
                    } finally {
                        running.leave();
                        done.countDown();
                    }
                }).build()) {
            q.start();
            List<String> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                q.enqueue("j" + i, "x");
            }
            if (!done.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("jobs did not finish");
            }
            for (int i = 0; i < 20; i++) {
                results.add(q.enqueueAndWait("j" + i, "x", Duration.ofSeconds(30)));
            }
            System.out.println("virtual=" + results.stream().allMatch("true"::equals));
            System.out.println("mostRunning=" + running.most);
            System.out.println("threads=" + String.join(",", running.names.keySet()));
        }
        storage.close();
    }

    private static final class Set {
        final ConcurrentHashMap<String, Boolean> names = new ConcurrentHashMap<>();
        private int now;
        private int most;

        synchronized void enter() {
            names.put(Thread.currentThread().getName(), true);
            most = Math.max(most, ++now);
        }

        synchronized void leave() {
            now--;
        }
    }

    @Test
    void onJava21AndLaterHandlersRunOnVirtualThreadsWithBoundedConcurrency() throws Exception {
        assumeTrue(Files.isExecutable(JAVA_25), "no Java 25 at " + JAVA_25);
        Path out = Files.createTempFile("vt-child", ".txt");
        try {
            Process p = new ProcessBuilder(JAVA_25.toString(), "-cp", System.getProperty("java.class.path"),
                    VirtualThreadsTest.class.getName())
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child ended");
            String text = Files.readString(out);
            assertEquals(0, p.exitValue(), text);
            assertTrue(text.contains("virtual=true"), text);
            int most = Integer.parseInt(text.replaceAll("(?s).*mostRunning=(\\d+).*", "$1"));
            assertTrue(most >= 1 && most <= 4, "concurrency 4 bounds the virtual threads: " + text);
            assertTrue(text.contains("jobqueue-vt-handler-"), "named like the platform handler threads: " + text);
        } finally {
            deleteQuietly(out);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a temp file
        }
    }
}
