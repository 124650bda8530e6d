package dev.jobqueue.contract;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A child JVM running a {@code main} class of the current test class path, for crash tests that
 * need a real process to kill: {@link #kill} is SIGKILL (no shutdown hook, no graceful stop),
 * {@link #stop} closes the child's stdin, which a child waiting in {@link #awaitStdinClosed} takes
 * as its signal to stop gracefully.
 *
 * <p>The child's stdout and stderr go to files ({@code stdout.txt}, {@code stderr.txt}), not
 * pipes: {@code Process.destroyForcibly()} closes a pipe under its reader, which would lose lines
 * the child printed just before the kill. {@link #lines} reads the complete stdout lines printed so
 * far; failures of {@link #awaitLines} and {@link #awaitExit} carry the child's stderr. By default
 * the files live in a scratch directory under {@code target/child-jvms} that {@link #close}
 * deletes; {@link Builder#keepOutputIn} keeps them for a post-mortem. {@link #close} kills a child
 * that is still alive, so try-with-resources never leaks a process.
 *
 * <!-- snippet: child-jvm -->
 * <pre>{@code
 * try (ChildJvm child = ChildJvm.start(Worker.class, dir.toString(), "queue-1")) {
 *     child.awaitLine("ready", Duration.ofSeconds(60));
 *     child.kill(); // SIGKILL, like a crash
 *     List<String> printed = child.lines();
 * }
 * }</pre>
 */
public final class ChildJvm implements AutoCloseable {
    /** How long {@link #kill} waits for the killed process to be gone. */
    private static final Duration KILL_PATIENCE = Duration.ofSeconds(30);

    private final Process process;
    private final Path outputDir;
    private final boolean deleteOutput;
    private final Path stdout;
    private final Path stderr;
    private final List<String> lines = new ArrayList<>();
    private long readUpTo;

    private ChildJvm(Process process, Path outputDir, boolean deleteOutput) {
        this.process = process;
        this.outputDir = outputDir;
        this.deleteOutput = deleteOutput;
        this.stdout = outputDir.resolve("stdout.txt");
        this.stderr = outputDir.resolve("stderr.txt");
    }

    /**
     * Starts {@code mainClass} with {@code args} in a child JVM with the current class path, its
     * output in a scratch directory that {@link #close} deletes.
     *
     * @param mainClass a class with a {@code main} method on the current class path
     * @param args the program arguments
     * @return the running child
     * @throws UncheckedIOException if the process cannot be started
     */
    public static ChildJvm start(Class<?> mainClass, String... args) {
        return builder(mainClass).args(args).start();
    }

    /**
     * A builder for a child JVM running {@code mainClass}, for system properties, a wrapper command
     * or output kept after the test.
     *
     * @param mainClass a class with a {@code main} method on the current class path
     * @return a new builder
     */
    public static Builder builder(Class<?> mainClass) {
        return new Builder(Objects.requireNonNull(mainClass, "mainClass"));
    }

    /**
     * The operating system's process id of the child.
     *
     * @return the pid
     */
    public long pid() {
        return process.pid();
    }

    /**
     * Whether the child is still running.
     *
     * @return true while it runs
     */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * The complete lines (ending in a newline) the child printed to stdout so far.
     *
     * @return the lines, oldest first
     * @throws UncheckedIOException if the output file cannot be read
     */
    public synchronized List<String> lines() {
        try (FileChannel in = FileChannel.open(stdout, StandardOpenOption.READ)) {
            long size = in.size();
            if (size > readUpTo) {
                ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(size - readUpTo));
                while (buf.hasRemaining() && in.read(buf, readUpTo + buf.position()) > 0) {
                    // read what is there
                }
                int complete = lastNewline(buf.array(), buf.position()) + 1;
                if (complete > 0) {
                    String text = new String(buf.array(), 0, complete - 1, StandardCharsets.UTF_8);
                    lines.addAll(List.of(text.split("\n", -1)));
                    readUpTo += complete;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(lines);
    }

    private static int lastNewline(byte[] bytes, int length) {
        for (int i = length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Waits until the child printed {@code line} (a whole stdout line).
     *
     * @param line the line to wait for
     * @param patience how long to wait; be generous, tests share few cores
     * @throws AssertionError if the child exits or the patience runs out first (with its stderr)
     * @throws InterruptedException if interrupted while waiting
     */
    public void awaitLine(String line, Duration patience) throws InterruptedException {
        awaitLines(printed -> printed.contains(line), patience, "the line '" + line + "'");
    }

    /**
     * Waits until {@code condition} holds for the stdout lines printed so far.
     *
     * @param condition tested on {@link #lines} until it holds
     * @param patience how long to wait; be generous, tests share few cores
     * @param what describes the condition in the failure message
     * @throws AssertionError if the child exits or the patience runs out first (with its stderr)
     * @throws InterruptedException if interrupted while waiting
     */
    public void awaitLines(Predicate<List<String>> condition, Duration patience, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.test(lines())) {
            if (!process.isAlive() && !condition.test(lines())) {
                throw new AssertionError("child exited (" + process.exitValue() + ") before " + what
                        + "; stderr:\n" + stderrText());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + patience + " waiting for " + what
                        + "; stderr:\n" + stderrText());
            }
            Thread.sleep(2);
        }
    }

    /**
     * Writes {@code line} and a newline to the child's stdin and flushes it.
     *
     * @param line the line to send
     * @throws UncheckedIOException if the child's stdin is closed (it exited, or after {@link #stop})
     */
    public void sendLine(String line) {
        try {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * SIGKILL, like a crash (on Linux {@code destroyForcibly} sends SIGKILL): no shutdown hook, no
     * graceful stop. Returns once the process is gone.
     *
     * @throws AssertionError if the process is still there after 30 seconds
     * @throws InterruptedException if interrupted while waiting
     */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(KILL_PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("child " + pid() + " still alive " + KILL_PATIENCE + " after SIGKILL");
        }
    }

    /**
     * Stops the child gracefully: closes its stdin (the signal a child in {@link #awaitStdinClosed}
     * waits for) and waits for it to exit, killing it if it does not within {@code patience}.
     *
     * @param patience how long the child may take to stop
     * @return the exit code (that of the kill if it had to be killed)
     * @throws InterruptedException if interrupted while waiting
     */
    public int stop(Duration patience) throws InterruptedException {
        try {
            process.getOutputStream().close();
        } catch (IOException alreadyGone) {
            // the child exited and took its stdin with it
        }
        if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
        }
        return process.exitValue();
    }

    /**
     * Waits for the child to exit by itself.
     *
     * @param patience how long to wait; be generous, tests share few cores
     * @return the exit code
     * @throws AssertionError if it runs longer than {@code patience} (it is then killed; with its stderr)
     * @throws InterruptedException if interrupted while waiting
     */
    public int awaitExit(Duration patience) throws InterruptedException {
        if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            throw new AssertionError("child did not finish in " + patience + "; stderr:\n" + stderrText());
        }
        return process.exitValue();
    }

    /**
     * Everything the child wrote to stderr so far, for failure messages.
     *
     * @return the text, or a note saying why there is none
     */
    public String stderrText() {
        try {
            return Files.readString(stderr);
        } catch (IOException e) {
            return "(no stderr: " + e + ")";
        }
    }

    /**
     * Kills the child if it still runs and deletes its scratch output directory (not one given to
     * {@link Builder#keepOutputIn}).
     *
     * @throws UncheckedIOException if the scratch directory cannot be deleted
     */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (deleteOutput) {
                deleteRecursively(outputDir);
            }
        }
    }

    /**
     * For the child's {@code main}: blocks until the parent closes stdin ({@link #stop}), ignoring
     * anything sent meanwhile.
     *
     * @throws IOException if stdin cannot be read
     */
    public static void awaitStdinClosed() throws IOException {
        while (System.in.read() >= 0) {
            // ignore input; end of stream means "stop"
        }
    }

    /**
     * For the child's {@code main}: appends {@code line} and a newline to a run log with one plain
     * write (no buffer), so a SIGKILL cannot lose a line already written; concurrent callers on the
     * same stream do not interleave.
     *
     * @param log the run log, opened for appending
     * @param line the line
     * @throws IOException if the write fails
     */
    public static void appendLine(FileOutputStream log, String line) throws IOException {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (log) {
            log.write(bytes);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (Files.notExists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Settings of a child JVM before it starts; {@link ChildJvm#builder} makes one. */
    public static final class Builder {
        private final Class<?> mainClass;
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> systemProperties = new LinkedHashMap<>();
        private final List<String> wrapper = new ArrayList<>();
        private Path keptOutputDir;

        private Builder(Class<?> mainClass) {
            this.mainClass = mainClass;
        }

        /**
         * Adds program arguments.
         *
         * @param args the arguments, in order
         * @return this builder
         */
        public Builder args(String... args) {
            this.args.addAll(List.of(args));
            return this;
        }

        /**
         * Sets a system property of the child ({@code -Dname=value}).
         *
         * @param name the property name
         * @param value its value
         * @return this builder
         * @throws IllegalArgumentException if {@code name} is empty
         */
        public Builder systemProperty(String name, String value) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("name must not be empty");
            }
            systemProperties.put(name, Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Puts a command in front of the java command, e.g. {@code setpriv} to run it as another user.
         *
         * @param command the wrapper command and its arguments
         * @return this builder
         */
        public Builder wrapper(List<String> command) {
            wrapper.addAll(command);
            return this;
        }

        /**
         * Writes {@code stdout.txt} and {@code stderr.txt} into {@code dir} (created if missing,
         * files appended to) and keeps them after {@link ChildJvm#close}.
         *
         * @param dir the directory
         * @return this builder
         */
        public Builder keepOutputIn(Path dir) {
            this.keptOutputDir = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /**
         * Starts the child: {@code java -Xmx256m -XX:TieredStopAtLevel=1 -cp <current class path>
         * [-D...] mainClass args}, with the JVM of the current process.
         *
         * @return the running child
         * @throws UncheckedIOException if the output directory cannot be made or the process not started
         */
        public ChildJvm start() {
            List<String> command = new ArrayList<>(wrapper);
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path")));
            systemProperties.forEach((name, value) -> command.add("-D" + name + "=" + value));
            command.add(mainClass.getName());
            command.addAll(args);
            Path dir = keptOutputDir != null ? keptOutputDir : scratchDir();
            try {
                Files.createDirectories(dir);
                Process process = new ProcessBuilder(command)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.txt").toFile()))
                        .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("stderr.txt").toFile()))
                        .start();
                return new ChildJvm(process, dir, keptOutputDir == null);
            } catch (IOException e) {
                if (keptOutputDir == null) {
                    deleteRecursively(dir);
                }
                throw new UncheckedIOException(e);
            }
        }

        private static Path scratchDir() {
            try {
                Path base = Files.createDirectories(Path.of("target", "child-jvms").toAbsolutePath());
                return Files.createTempDirectory(base, "child");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
