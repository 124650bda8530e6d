package dev.jobqueue.memory;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/** The named leader locks of one queue: an owner and an expiry each, changed atomically per lock. */
final class LeaderLocks {
    private record Hold(String owner, long expiresAt) {
    }

    private final ConcurrentHashMap<String, Hold> holds = new ConcurrentHashMap<>();

    boolean acquire(String lock, String owner, Duration ttl, long now) {
        Hold mine = new Hold(owner, Millis.plus(now, ttl));
        Hold after = holds.compute(lock, (k, held) -> held == null || held.expiresAt <= now ? mine : held);
        return after == mine;
    }

    boolean renew(String lock, String owner, Duration ttl, long now) {
        Hold renewed = new Hold(owner, Millis.plus(now, ttl));
        Hold after = holds.computeIfPresent(lock,
                (k, held) -> held.owner.equals(owner) && held.expiresAt > now ? renewed : held);
        return after == renewed;
    }

    boolean release(String lock, String owner, long now) {
        boolean[] released = {false};
        holds.computeIfPresent(lock, (k, held) -> {
            if (held.owner.equals(owner) && held.expiresAt > now) {
                released[0] = true;
                return null;
            }
            // An expired hold is dropped either way: it is free.
            return held.expiresAt <= now ? null : held;
        });
        return released[0];
    }
}
