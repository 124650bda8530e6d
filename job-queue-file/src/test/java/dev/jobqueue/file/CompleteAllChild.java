package dev.jobqueue.file;

import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.Completion;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.TransitionOutcome;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Child process of {@link FileStorageCompleteAllKillTest}: {@code threads} loops that each claim
 * up to {@code batch} jobs and record them with one {@code completeAll} (result {@code "r-<id>"}),
 * printing {@code done <id>} for every APPLIED outcome after the call returned, until killed.
 * A small compaction threshold keeps snapshots in flight while it works.
 * Arguments: {@code dir queue threads batch compactionThresholdBytes}.
 */
public final class CompleteAllChild {
    private CompleteAllChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String queue = args[1];
        int threads = Integer.parseInt(args[2]);
        int batch = Integer.parseInt(args[3]);
        long compaction = Long.parseLong(args[4]);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        FileStorage storage = FileStorage.open(dir, FileStorageOptions.builder().compactionThresholdBytes(compaction).build());
        for (int t = 0; t < threads; t++) {
            String worker = "w" + t;
            Thread thread = new Thread(() -> work(storage, queue, worker, batch, out), worker);
            thread.start();
        }
        Thread.sleep(Long.MAX_VALUE); // until SIGKILL
    }

    private static void work(FileStorage storage, String queue, String worker, int batch, PrintStream out) {
        try {
            while (true) {
                List<ClaimedJob> claimed = storage.claim(queue, worker, batch, Duration.ofMinutes(5), Duration.ofMillis(200));
                List<Completion> completions = new ArrayList<>(claimed.size());
                for (ClaimedJob job : claimed) {
                    completions.add(new Completion(new LeaseRef(job.id(), job.fencingToken()),
                            ("r-" + job.id()).getBytes(StandardCharsets.UTF_8), null));
                }
                List<TransitionOutcome> outcomes = storage.completeAll(queue, completions);
                StringBuilder lines = new StringBuilder();
                for (int i = 0; i < outcomes.size(); i++) {
                    if (outcomes.get(i) == TransitionOutcome.APPLIED) {
                        lines.append("done ").append(claimed.get(i).id()).append('\n');
                    }
                }
                synchronized (out) {
                    out.print(lines);
                    out.flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
