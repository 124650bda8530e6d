package dev.jobqueue.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ChildJvm against a real child JVM ({@link Echo}): lines, stdin, graceful stop, SIGKILL, exit codes, clean-up. */
class ChildJvmTest {
    private static final Duration PATIENCE = Duration.ofMinutes(2);

    /**
     * Prints its arguments and the system property {@code echo.greeting}, then echoes stdin lines
     * ("exit N" exits with N, "err X" prints X to stderr); stops when stdin closes.
     */
    public static final class Echo {
        public static void main(String[] args) throws Exception {
            System.out.println("args " + String.join(" ", args));
            System.out.println("greeting " + System.getProperty("echo.greeting"));
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("exit ")) {
                    System.exit(Integer.parseInt(line.substring(5)));
                } else if (line.startsWith("err ")) {
                    System.err.println(line.substring(4));
                    System.err.flush();
                } else {
                    System.out.println("echo " + line);
                    System.out.flush();
                }
            }
            System.out.println("stdin closed");
        }
    }

    @Test
    void argsSystemPropertiesAndStdinLinesReachTheChildAndItsLinesComeBack() throws Exception {
        try (ChildJvm child = ChildJvm.builder(Echo.class).systemProperty("echo.greeting", "hi there")
                .args("a b", "ü").start()) {
            child.awaitLine("greeting hi there", PATIENCE);
            child.sendLine("one");
            child.sendLine("two");
            child.awaitLine("echo two", PATIENCE);
            assertEquals(List.of("args a b ü", "greeting hi there", "echo one", "echo two"), child.lines());
            assertEquals(0, child.stop(PATIENCE), "closing stdin stops the child gracefully");
            assertEquals("stdin closed", child.lines().get(4));
            assertFalse(child.isAlive());
        }
    }

    @Test
    void exitCodeAndStderrAreReported() throws Exception {
        try (ChildJvm child = ChildJvm.start(Echo.class)) {
            child.awaitLine("greeting null", PATIENCE);
            child.sendLine("err something broke");
            child.sendLine("exit 3");
            assertEquals(3, child.awaitExit(PATIENCE));
            assertEquals("something broke\n", child.stderrText());
        }
    }

    @Test
    void awaitingALineTheChildNeverPrintsFailsWithItsStderrOnceItExits() throws Exception {
        try (ChildJvm child = ChildJvm.start(Echo.class)) {
            child.sendLine("err last words");
            child.sendLine("exit 1");
            AssertionError e = assertThrows(AssertionError.class, () -> child.awaitLine("never", PATIENCE));
            assertTrue(e.getMessage().contains("child exited (1)") && e.getMessage().contains("last words"), e.getMessage());
        }
    }

    @Test
    void awaitingALineFailsAfterThePatienceWhileTheChildRuns() throws Exception {
        try (ChildJvm child = ChildJvm.start(Echo.class)) {
            AssertionError e = assertThrows(AssertionError.class, () -> child.awaitLine("never", Duration.ofMillis(200)));
            assertTrue(e.getMessage().startsWith("timed out"), e.getMessage());
            assertTrue(child.isAlive());
        }
    }

    @Test
    void killIsSigkillAndCloseKillsAndDeletesTheScratchOutput() throws Exception {
        ChildJvm killed = ChildJvm.start(Echo.class);
        killed.awaitLine("greeting null", PATIENCE);
        killed.kill();
        assertFalse(killed.isAlive());
        assertNotEquals(0, killed.stop(PATIENCE), "SIGKILL leaves a non-zero exit code (137)");
        assertEquals(List.of("args ", "greeting null"), killed.lines(), "lines printed before the kill survive it");
        killed.close();

        List<Path> before = scratchDirs();
        ChildJvm running = ChildJvm.start(Echo.class);
        assertEquals(before.size() + 1, scratchDirs().size(), "the child's output is in a scratch directory");
        ProcessHandle handle = ProcessHandle.of(running.pid()).orElseThrow();
        running.close();
        assertFalse(handle.isAlive(), "close kills a running child");
        assertEquals(before, scratchDirs(), "close deletes the child's scratch output");
    }

    private static List<Path> scratchDirs() throws IOException {
        try (var dirs = Files.list(Path.of("target", "child-jvms"))) {
            return dirs.sorted().toList();
        }
    }

    @Test
    void keptOutputStaysAfterClose(@TempDir Path dir) throws Exception {
        try (ChildJvm child = ChildJvm.builder(Echo.class).keepOutputIn(dir.resolve("echo")).start()) {
            child.sendLine("kept");
            child.stop(PATIENCE);
        }
        assertEquals(List.of("args ", "greeting null", "echo kept", "stdin closed"),
                Files.readAllLines(dir.resolve("echo").resolve("stdout.txt")));
        assertTrue(Files.exists(dir.resolve("echo").resolve("stderr.txt")));
    }

    @Test
    void anEmptySystemPropertyNameIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChildJvm.builder(Echo.class).systemProperty("", "x"));
        assertTrue(e.getMessage().contains("name"), e.getMessage());
    }
}
