package dev.jobqueue.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * One successful attempt to record with {@link Storage#completeAll}: the claim, the serialized
 * result and the result TTL ({@code null}: the job's own).
 *
 * <!-- snippet: completion -->
 * <pre>{@code
 * List<TransitionOutcome> outcomes = storage.completeAll(queue, List.of(
 *         new Completion(new LeaseRef(a.id(), a.fencingToken()), resultA, null),
 *         new Completion(new LeaseRef(b.id(), b.fencingToken()), resultB, Duration.ofMinutes(5))));
 * }</pre>
 */
public record Completion(LeaseRef lease, byte[] result, Duration resultTtl) {
    public Completion {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(result, "result");
    }
}
