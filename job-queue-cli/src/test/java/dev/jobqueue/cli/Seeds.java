package dev.jobqueue.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jobqueue.EnqueueOptions;
import dev.jobqueue.JobError;
import dev.jobqueue.JobState;
import dev.jobqueue.Queue;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.Storage;
import dev.jobqueue.spi.TransitionOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Puts jobs of one queue into every state, the way an application would leave them: enqueued
 * through a {@link Queue}, claimed and settled through the storage as a worker does.
 */
final class Seeds {
    static final Duration LONG = Duration.ofHours(1);

    /** One job per state, plus a second QUEUED one (queued-2 has priority 5, so it is claimed first); ids name their state. */
    static final List<String> IDS = List.of("done-1", "failed-1", "failing-1", "running-1", "cancelled-1", "delayed-1",
            "queued-1", "queued-2");

    private Seeds() {
    }

    static void allStates(Storage storage, String queueName) throws InterruptedException {
        try (Queue<Map<String, Object>, String> queue = Queue.builder(storage,
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { },
                new com.fasterxml.jackson.core.type.TypeReference<String>() { })
                .name(queueName).closeOnJvmShutdown(false).build()) {
            queue.enqueue("done-1", Map.of("to", "ann@example.com"));
            settle(storage, queueName, "done-1", (lease) -> storage.complete(queueName, lease,
                    "\"sent\"".getBytes(StandardCharsets.UTF_8), LONG));

            queue.enqueue("failed-1", Map.of("to", "bob@example.com"), EnqueueOptions.builder().maxAttempts(1)
                    .metadata(Map.of("tenant", "acme", "trace", "t-42")).build());
            settle(storage, queueName, "failed-1", (lease) -> storage.fail(queueName, lease,
                    JobError.of(new IllegalStateException("mailbox full"), 1, Instant.now()), LONG));

            queue.enqueue("failing-1", Map.of("to", "cy@example.com"), EnqueueOptions.builder().maxAttempts(5).build());
            settle(storage, queueName, "failing-1", (lease) -> storage.retry(queueName, lease, LONG,
                    JobError.of(new RuntimeException("smtp timeout"), 1, Instant.now())));

            queue.enqueue("running-1", Map.of("to", "dee@example.com"));
            settle(storage, queueName, "running-1", (lease) -> TransitionOutcome.APPLIED);

            queue.enqueue("cancelled-1", Map.of("to", "eve@example.com"));
            queue.cancel("cancelled-1");
            queue.enqueue("delayed-1", Map.of("to", "fay@example.com"), EnqueueOptions.builder().delay(LONG).build());
            queue.enqueue("queued-1", Map.of("to", "gus@example.com"));
            queue.enqueue("queued-2", Map.of("to", "hal@example.com"), EnqueueOptions.builder().priority(5).build());

            Map<JobState, Long> counts = queue.counts();
            for (JobState state : JobState.values()) {
                assertEquals(state == JobState.QUEUED ? 2L : 1L, counts.get(state), "seeded " + state + ": " + counts);
            }
        }
    }

    interface Settle {
        TransitionOutcome apply(LeaseRef lease);
    }

    /** Claims the only QUEUED job, which must be {@code id}, and settles it. */
    private static void settle(Storage storage, String queue, String id, Settle settle) throws InterruptedException {
        List<ClaimedJob> claimed = storage.claim(queue, "seed-worker", 1, LONG, Duration.ofSeconds(5));
        assertEquals(1, claimed.size(), "claimed " + id);
        assertEquals(id, claimed.get(0).id());
        assertEquals(TransitionOutcome.APPLIED, settle.apply(new LeaseRef(id, claimed.get(0).fencingToken())));
    }
}
