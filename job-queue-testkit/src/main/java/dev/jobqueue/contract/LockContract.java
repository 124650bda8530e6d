package dev.jobqueue.contract;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Leader locks: acquire when free or expired, renew and release by the owner only.
 *
 * <!-- snippet: lock-contract -->
 * <pre>{@code
 * boolean leader = storage.acquireLock(queue, "reaper", owner, Duration.ofSeconds(10));
 * }</pre>
 *
 * <p>Part of {@link StorageContract}; runs on any {@link StorageFixture}.
 */
public interface LockContract extends StorageFixture {
    // ---------------------------------------------------------------- leader lock

    /** A lock is acquired when free, not when held by another owner. */
    @Test
    default void lock_acquireWhenFreeNotWhenHeldByAnother() {
        assertTrue(storage().acquireLock(queue(), "leader", "one", Duration.ofSeconds(10)));
        assertFalse(storage().acquireLock(queue(), "leader", "two", Duration.ofSeconds(10)));
        assertTrue(storage().acquireLock(queue(), "another-lock", "two", Duration.ofSeconds(10)));
    }

    /** An expired lock can be acquired. */
    @Test
    default void lock_acquireAfterExpiry() {
        assertTrue(storage().acquireLock(queue(), "leader", "one", Duration.ofSeconds(10)));
        clock().advance(Duration.ofMillis(9_999));
        assertFalse(storage().acquireLock(queue(), "leader", "two", Duration.ofSeconds(10)));
        clock().advance(Duration.ofMillis(1));
        assertTrue(storage().acquireLock(queue(), "leader", "two", Duration.ofSeconds(10)));
        assertFalse(storage().renewLock(queue(), "leader", "one", Duration.ofSeconds(10)));
    }

    /** Only the owner renews a lock. */
    @Test
    default void lock_renewByOwnerOnly() {
        assertTrue(storage().acquireLock(queue(), "leader", "one", Duration.ofSeconds(10)));
        clock().advance(Duration.ofSeconds(8));
        assertTrue(storage().renewLock(queue(), "leader", "one", Duration.ofSeconds(10)));
        assertFalse(storage().renewLock(queue(), "leader", "two", Duration.ofSeconds(10)));
        clock().advance(Duration.ofSeconds(8)); // 16 s after acquire: alive only thanks to the renewal
        assertFalse(storage().acquireLock(queue(), "leader", "two", Duration.ofSeconds(10)));
        clock().advance(Duration.ofSeconds(2));
        assertTrue(storage().acquireLock(queue(), "leader", "two", Duration.ofSeconds(10)));
    }

    /** Renewing an expired lock fails. */
    @Test
    default void lock_renewAfterExpiryFails() {
        assertTrue(storage().acquireLock(queue(), "leader", "one", Duration.ofSeconds(10)));
        clock().advance(Duration.ofSeconds(10));
        assertFalse(storage().renewLock(queue(), "leader", "one", Duration.ofSeconds(10)));
        assertFalse(storage().renewLock(queue(), "never-taken", "one", Duration.ofSeconds(10)));
    }

    /** Only the owner releases a lock, which is then acquirable. */
    @Test
    default void lock_releaseByOwnerOnlyThenAcquirable() {
        assertTrue(storage().acquireLock(queue(), "leader", "one", Duration.ofSeconds(10)));
        assertFalse(storage().releaseLock(queue(), "leader", "two"));
        assertFalse(storage().acquireLock(queue(), "leader", "two", Duration.ofSeconds(10)));
        assertTrue(storage().releaseLock(queue(), "leader", "one"));
        assertTrue(storage().acquireLock(queue(), "leader", "two", Duration.ofSeconds(10)));
        assertFalse(storage().releaseLock(queue(), "leader", "one"));
    }
}
