package dev.jobqueue.file;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child JVM running one of the {@code main} classes of these tests with the test class path;
 * its stdout lines are collected as they arrive, stderr goes to a file for diagnosis.
 */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private final Path stderr;

    private ChildJvm(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        this.reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the child was killed mid-line: what was read so far stands
            }
        }, "child-stdout");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    static ChildJvm start(Class<?> main, String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        try {
            Path stderr = TempDirs.create("child-stderr").resolve("stderr.txt");
            Process p = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
            return new ChildJvm(p, stderr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lines printed so far, complete lines only. */
    List<String> lines() {
        return List.copyOf(lines);
    }

    /** Waits until {@code condition} holds for the printed lines; fails with the child's stderr if it dies first. */
    void awaitLines(Predicate<List<String>> condition, Duration patience, String what) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.test(lines())) {
            if (!process.isAlive() && !reader.isAlive() && !condition.test(lines())) {
                throw new AssertionError("child exited (" + process.exitValue() + ") before " + what + "; stderr:\n" + stderrText());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; stderr:\n" + stderrText());
            }
            Thread.sleep(2);
        }
    }

    /** SIGKILL (on Linux, destroyForcibly sends SIGKILL), then waits for the exit and the last output. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        reader.join(TimeUnit.SECONDS.toMillis(10));
    }

    /** Waits for a normal exit and returns the exit code. */
    int awaitExit(Duration patience) throws InterruptedException {
        if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child did not finish in " + patience + "; stderr:\n" + stderrText());
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        return process.exitValue();
    }

    String stderrText() {
        try {
            return java.nio.file.Files.readString(stderr);
        } catch (IOException e) {
            return "(no stderr: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        TempDirs.delete(stderr.getParent());
    }
}
