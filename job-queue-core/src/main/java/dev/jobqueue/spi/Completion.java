package dev.jobqueue.spi;

import java.time.Duration;

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
 *
 * @param lease     the claim being completed (job id and fencing token)
 * @param result    the serialized result
 * @param resultTtl how long the result is kept; {@code null}: the TTL the job was enqueued with
 */
public record Completion(LeaseRef lease, byte[] result, Duration resultTtl) {
    /**
     * Checks that the claim and the result are present (a {@code null} resultTtl is allowed).
     *
     * @param lease see {@link #lease()}
     * @param result see {@link #result()}
     * @param resultTtl see {@link #resultTtl()}
     */
    public Completion {
        StorageArguments.requireNonNull(lease, "lease");
        StorageArguments.requireNonNull(result, "result");
    }
}
