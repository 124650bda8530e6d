package dev.jobqueue.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child JVM running one of the {@code main} classes of these tests with the test class path.
 * Its stdout goes to a file, not a pipe: {@code Process.destroyForcibly()} closes the pipe
 * under a reader, which would lose lines the child printed just before the kill.
 */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final Path outputDir;
    private final Path stdout;
    private final Path stderr;
    private final List<String> lines = new ArrayList<>();
    private long readUpTo;

    private ChildJvm(Process process, Path outputDir) {
        this.process = process;
        this.outputDir = outputDir;
        this.stdout = outputDir.resolve("stdout.txt");
        this.stderr = outputDir.resolve("stderr.txt");
    }

    static ChildJvm start(Class<?> main, String... args) {
        return startWrapped(List.of(), main, args);
    }

    /** Like {@link #start}, with {@code wrapper} (e.g. {@code setpriv ...}) in front of the java command. */
    static ChildJvm startWrapped(List<String> wrapper, Class<?> main, String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Path outputDir = TempDirs.create("child");
        try {
            Process p = new ProcessBuilder(command)
                    .redirectOutput(outputDir.resolve("stdout.txt").toFile())
                    .redirectError(outputDir.resolve("stderr.txt").toFile())
                    .start();
            return new ChildJvm(p, outputDir);
        } catch (IOException e) {
            TempDirs.delete(outputDir);
            throw new UncheckedIOException(e);
        }
    }

    /** Complete lines printed so far. */
    synchronized List<String> lines() {
        try (FileChannel in = FileChannel.open(stdout, StandardOpenOption.READ)) {
            long size = in.size();
            if (size > readUpTo) {
                ByteBuffer buf = ByteBuffer.allocate((int) (size - readUpTo));
                while (buf.hasRemaining() && in.read(buf, readUpTo + buf.position()) > 0) {
                    // read what is there
                }
                String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
                int lastNewline = text.lastIndexOf('\n');
                if (lastNewline >= 0) {
                    for (String line : text.substring(0, lastNewline).split("\n", -1)) {
                        lines.add(line);
                    }
                    readUpTo += text.substring(0, lastNewline + 1).getBytes(StandardCharsets.UTF_8).length;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(lines);
    }

    /** Waits until {@code condition} holds for the printed lines; fails with the child's stderr if it dies first. */
    void awaitLines(Predicate<List<String>> condition, Duration patience, String what) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.test(lines())) {
            if (!process.isAlive() && !condition.test(lines())) {
                throw new AssertionError("child exited (" + process.exitValue() + ") before " + what + "; stderr:\n" + stderrText());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; stderr:\n" + stderrText());
            }
            Thread.sleep(2);
        }
    }

    /** SIGKILL (on Linux, destroyForcibly sends SIGKILL), then waits for the exit. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Waits for a normal exit and returns the exit code. */
    int awaitExit(Duration patience) throws InterruptedException {
        if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child did not finish in " + patience + "; stderr:\n" + stderrText());
        }
        return process.exitValue();
    }

    String stderrText() {
        try {
            return Files.readString(stderr);
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
        TempDirs.delete(outputDir);
    }
}
