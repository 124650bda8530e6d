package dev.jobqueue.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * One successful attempt to record with {@link Storage#completeAll}: the claim, the serialized
 * result and the result TTL ({@code null}: the job's own).
 */
public record Completion(LeaseRef lease, byte[] result, Duration resultTtl) {
    public Completion {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(result, "result");
    }
}
