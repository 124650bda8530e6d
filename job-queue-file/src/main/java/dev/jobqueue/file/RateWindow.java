package dev.jobqueue.file;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * The claim times of one rate-limited queue within its rate period: what the rate limit of
 * {@link dev.jobqueue.QueueLimits} counts. Fed by every claim record the index applies, decided
 * here or replayed from another process's appends, so every process on the directory counts the
 * same claims in the same order (they all use the host clock). Kept only in memory: claims whose
 * records were compacted away before a restart are forgotten (see the module README, "Flow control").
 *
 * <p>A claim at {@code t} counts until {@code t + period} inclusive, so in no window of length
 * {@code period}, ends included, are more than the limit claimed.
 */
final class RateWindow {
    private final ArrayDeque<Long> claims = new ArrayDeque<>();

    /** Records a claim made at {@code at}, forgetting those too old to count for {@code period}. */
    void record(Instant at, Duration period) {
        long millis = at.toEpochMilli();
        claims.addLast(millis);
        prune(millis, period);
    }

    /** How many claims count at {@code now}: those made at or after {@code now - period}. */
    int count(Instant now, Duration period) {
        prune(now.toEpochMilli(), period);
        return claims.size();
    }

    /** When the oldest counted claim stops counting (the first instant a new claim may be made), or null. */
    Instant nextFree(Duration period) {
        Long oldest = claims.peekFirst();
        return oldest == null ? null : Instant.ofEpochMilli(oldest + period.toMillis() + 1);
    }

    private void prune(long nowMillis, Duration period) {
        long from = nowMillis - period.toMillis();
        while (!claims.isEmpty() && claims.peekFirst() < from) {
            claims.pollFirst();
        }
    }
}
