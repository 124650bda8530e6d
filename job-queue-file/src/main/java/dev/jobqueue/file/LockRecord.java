package dev.jobqueue.file;

import java.time.Instant;

/** A leader lock of one queue: held by {@code owner} until {@code expiresAt}. */
record LockRecord(String queue, String name, String owner, Instant expiresAt) {

    boolean isHeldBy(String candidate, Instant now) {
        return owner.equals(candidate) && expiresAt.isAfter(now);
    }

    boolean isFreeAt(Instant now) {
        return !expiresAt.isAfter(now);
    }
}
