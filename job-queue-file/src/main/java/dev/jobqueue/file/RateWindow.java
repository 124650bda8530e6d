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
 * <p>A claim at {@code t} counts while {@code now < t + period} (the window is {@code (now - period,
 * now]}), so in no half-open window of length {@code period} are more than the limit claimed: the
 * claim that frees a slot may be made exactly {@code period} after the one it replaces.
 */
final class RateWindow {
    private final ArrayDeque<Long> claims = new ArrayDeque<>();

    /** Records a claim made at {@code at}, forgetting those too old to count for {@code period}. */
    void record(Instant at, Duration period) {
        long millis = at.toEpochMilli();
        claims.addLast(millis);
        prune(millis, period);
    }

    /** How many claims count at {@code now}: those made after {@code now - period}. */
    int count(Instant now, Duration period) {
        prune(now.toEpochMilli(), period);
        return claims.size();
    }

    /** When the oldest counted claim stops counting (the first instant a new claim may be made), or null. */
    Instant nextFree(Duration period) {
        Long oldest = claims.peekFirst();
        return oldest == null ? null : Instant.ofEpochMilli(oldest + period.toMillis());
    }

    private void prune(long nowMillis, Duration period) {
        long until = nowMillis - period.toMillis();
        while (!claims.isEmpty() && claims.peekFirst() <= until) {
            claims.pollFirst();
        }
    }
}
