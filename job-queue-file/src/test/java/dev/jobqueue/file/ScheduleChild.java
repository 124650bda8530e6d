package dev.jobqueue.file;

import dev.jobqueue.QueueLimits;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Child process of {@link FileScheduleKillTest}: in FSYNC_EACH mode, for n = 0, 1, 2, ... it
 * upserts schedule {@code <prefix>-<n>} (definition {@code "def-<n>"}, next fire {@code n} ms
 * after the epoch), advances it to version 2 ({@code n + 1} ms after the epoch) and sets the
 * limits of the queue to {@code maxRunning = n + 1}, printing a line once each call has returned:
 * {@code U <id>}, {@code A <id>}, {@code L <n + 1>}. Arguments: {@code dir queue prefix}.
 */
public final class ScheduleChild {
    private ScheduleChild() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        String queue = args[1];
        String prefix = args[2];
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        FileStorage storage = FileStorage.open(dir);
        for (int n = 0; ; n++) {
            String id = prefix + "-" + n;
            storage.upsertSchedule(queue, id, ("def-" + n).getBytes(StandardCharsets.UTF_8), Instant.ofEpochMilli(n));
            out.println("U " + id);
            if (!storage.advanceSchedule(queue, id, 1, Instant.ofEpochMilli(n + 1))) {
                throw new IllegalStateException("advance of " + id + " refused");
            }
            out.println("A " + id);
            storage.setLimits(queue, QueueLimits.NONE.withMaxRunning(n + 1));
            out.println("L " + (n + 1));
        }
    }
}
