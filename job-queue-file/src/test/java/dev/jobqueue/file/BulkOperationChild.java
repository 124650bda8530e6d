package dev.jobqueue.file;

import dev.jobqueue.JobState;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Child process of {@link BulkOperationKillTest}: calls {@code purge} or {@code retryAll} on one
 * state in pages of {@code limit}, printing {@code did <count>} after each call returned, and
 * {@code end} once a call returns 0; then waits to be killed. A small compaction threshold keeps
 * snapshots in flight while it works. With {@code pause} it pauses the queue, prints
 * {@code paused true} and waits to be killed.
 * Arguments: {@code dir queue purge|retryAll|pause state limit compactionThresholdBytes}.
 */
public final class BulkOperationChild {
    private BulkOperationChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String queue = args[1];
        boolean purge = args[2].equals("purge");
        JobState state = JobState.valueOf(args[3]);
        int limit = Integer.parseInt(args[4]);
        long compaction = Long.parseLong(args[5]);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        FileStorage storage = FileStorage.open(dir, FileStorageOptions.builder().compactionThresholdBytes(compaction).build());
        if (args[2].equals("pause")) {
            out.println("paused " + storage.setPaused(queue, true));
            Thread.sleep(Long.MAX_VALUE); // until SIGKILL
        }
        int done;
        do {
            done = purge ? storage.purge(queue, state, limit) : storage.retryAll(queue, state, limit);
            out.println("did " + done);
        } while (done > 0);
        out.println("end");
        Thread.sleep(Long.MAX_VALUE); // until SIGKILL
    }
}
