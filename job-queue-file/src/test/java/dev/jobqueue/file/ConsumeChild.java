package dev.jobqueue.file;

import dev.jobqueue.JobState;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.TransitionOutcome;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Child process of the multi-process tests: claims and completes jobs of one queue (storage SPI
 * only) and prints {@code done <id>} after each acknowledged completion, until the queue holds
 * {@code total} COMPLETED jobs. Arguments: {@code dir queue workerId total compactionThresholdBytes}.
 */
public final class ConsumeChild {
    private ConsumeChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String queue = args[1];
        String worker = args[2];
        long total = Long.parseLong(args[3]);
        long compaction = Long.parseLong(args[4]);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (FileStorage storage = FileStorage.open(dir,
                FileStorageOptions.builder().compactionThresholdBytes(compaction).build())) {
            out.println("ready");
            while (true) {
                var claimed = storage.claim(queue, worker, 16, Duration.ofMinutes(5), Duration.ofMillis(200));
                for (ClaimedJob job : claimed) {
                    TransitionOutcome outcome = storage.complete(queue, new LeaseRef(job.id(), job.fencingToken()),
                            worker.getBytes(StandardCharsets.UTF_8), null);
                    out.println((outcome == TransitionOutcome.APPLIED ? "done " : "lost ") + job.id());
                }
                if (claimed.isEmpty()) {
                    Map<JobState, Long> counts = storage.counts(queue);
                    if (counts.get(JobState.COMPLETED) >= total) {
                        return;
                    }
                }
            }
        }
    }
}
