package dev.jobqueue.redis.processes;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a {@code main} class of the test classpath as a child JVM, output to a file. Children
 * stop gracefully when their stdin closes ({@link #stop}); {@link #kill} is SIGKILL.
 *
 * <pre>{@code
 * ChildJvm worker = ChildJvm.start(CrashTestWorker.class, dir.resolve("w1.out"), url, prefix);
 * worker.kill();
 * }</pre>
 */
public final class ChildJvm {
    private final Process process;

    private ChildJvm(Process process) {
        this.process = process;
    }

    public static ChildJvm start(Class<?> main, Path output, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx256m");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        try {
            File out = output.toFile();
            return new ChildJvm(new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(out)).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, like a crash: no shutdown hook, no graceful stop. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Closes the child's stdin (its signal to stop gracefully) and waits for it, killing it if it hangs. */
    public int stop() throws InterruptedException {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already gone
        }
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            kill();
        }
        return process.exitValue();
    }

    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    /** Blocks the child's main thread until the parent closes stdin. */
    public static void awaitStdinClosed() throws IOException {
        while (System.in.read() >= 0) {
            // ignore input; end of stream means "stop"
        }
    }

    /** Appends one line to a run log with a plain write, so a SIGKILL cannot lose a line already written. */
    public static void appendLine(java.io.FileOutputStream log, String line) throws IOException {
        byte[] bytes = (line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        synchronized (log) {
            log.write(bytes);
        }
    }
}
