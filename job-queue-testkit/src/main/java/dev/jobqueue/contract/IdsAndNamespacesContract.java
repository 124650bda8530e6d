package dev.jobqueue.contract;

import static dev.jobqueue.contract.TestJobs.job;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.CancelResult;
import dev.jobqueue.JobState;
import dev.jobqueue.TtlUpdateResult;
import dev.jobqueue.spi.CheckedStorage;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.EnqueueOutcome;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.TransitionOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Job ids and queue namespaces: the id rules of {@link dev.jobqueue.spi.Storage} (an unpaired
 * surrogate is rejected and never collides with {@code '?'}, the longest id works, one char more
 * does not), odd ids stored exactly and kept apart, the same id in two queues independent, and
 * empty, large and binary payloads and results round trips.
 *
 * <!-- snippet: ids-and-namespaces-contract -->
 * <pre>{@code
 * storage.enqueue("a", TestJobs.job("../../etc/passwd").build()); // just an id
 * storage.enqueue("b", TestJobs.job("../../etc/passwd").build()); // another job: queues are namespaces
 * }</pre>
 *
 * <p>Part of {@link StorageContract}; runs on any {@link StorageFixture}.
 */
public interface IdsAndNamespacesContract extends StorageFixture {
    // ---------------------------------------------------------------- namespaces

    /**
     * The same id in two queues names two independent jobs.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void namespace_sameIdInTwoQueuesIsIndependent() throws Exception {
        String other = queue() + "-b";
        assertTrue(storage().enqueue(queue(), job("same").payload("in A").build()).created());
        assertTrue(storage().enqueue(other, job("same").payload("in B").delay(Duration.ofSeconds(5)).build()).created());
        assertEquals(JobState.QUEUED, state("same"));
        assertEquals(JobState.DELAYED, storage().status(other, "same").orElseThrow().state());

        ClaimedJob a = claimOne();
        assertEquals("in A", text(a.payload()));
        assertTrue(storage().claim(other, "w", 1, LEASE, Duration.ZERO).isEmpty());
        assertEquals(TransitionOutcome.LEASE_LOST, storage().complete(other, lease(a), bytes("x"), null));
        assertEquals(List.of("same"), storage().extend(other, List.of(lease(a)), LEASE));
        assertEquals(CancelResult.CANCELLED, storage().cancel(other, "same"));
        assertEquals(JobState.PROCESSING, state("same"));
        assertEquals(TransitionOutcome.APPLIED, storage().complete(queue(), lease(a), bytes("done A"), null));
        assertEquals(TtlUpdateResult.NOT_TERMINAL, storage().updateResultTtl(other, "same", Duration.ofSeconds(1)));
        assertEquals(TtlUpdateResult.UPDATED, storage().updateResultTtl(queue(), "same", Duration.ofSeconds(1)));

        assertEquals(1L, storage().counts(queue()).get(JobState.COMPLETED));
        assertEquals(0L, storage().counts(queue()).get(JobState.CANCELLED));
        assertEquals(1L, storage().counts(other).get(JobState.CANCELLED));
        assertEquals(0L, storage().counts(other).get(JobState.COMPLETED));
        assertTrue(storage().enqueue(other, job("same").payload("B again").build()).created());
        assertEquals(List.of("same"), storage().list(other, JobState.QUEUED, 10));
        assertEquals(List.of(), storage().list(queue(), JobState.QUEUED, 10));
    }

    /**
     * Transitions and status never cross queues.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void namespace_transitionsAndStatusNeverCrossQueues() throws Exception {
        String other = queue() + "-b";
        storage().enqueue(queue(), job("x").build());
        storage().enqueue(other, job("x").build());
        ClaimedJob mine = claimOne();
        ClaimedJob theirs = storage().claim(other, "w", 1, LEASE, Duration.ZERO).get(0);
        assertEquals(TransitionOutcome.APPLIED, storage().retry(queue(), lease(mine), Duration.ofMinutes(1), error("r")));
        assertEquals(JobState.PROCESSING, storage().status(other, "x").orElseThrow().state());
        assertEquals(TransitionOutcome.APPLIED, storage().release(other, lease(theirs)));
        assertEquals(JobState.FAILING, state("x"));
        ClaimedJob theirsAgain = storage().claim(other, "w", 1, LEASE, Duration.ZERO).get(0);
        assertEquals(TransitionOutcome.APPLIED, storage().fail(other, lease(theirsAgain), error("f"), null));
        assertEquals(JobState.FAILING, state("x"));
        assertEquals(JobState.FAILED, storage().status(other, "x").orElseThrow().state());
        assertEquals(CancelResult.CANCELLED, storage().cancel(queue(), "x"));
        assertEquals(JobState.FAILED, storage().status(other, "x").orElseThrow().state());
        assertTrue(storage().status(queue() + "-c", "x").isEmpty());
        assertEquals(1L, storage().counts(queue()).get(JobState.CANCELLED));
        assertEquals(0L, storage().counts(queue()).get(JobState.FAILED));
        assertEquals(1L, storage().counts(other).get(JobState.FAILED));
        assertEquals(0L, storage().counts(other).get(JobState.CANCELLED));
    }

    /**
     * Leases and locks are per queue.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void namespace_leasesAndLocksArePerQueue() throws Exception {
        String other = queue() + "-b";
        storage().enqueue(queue(), job("a").build());
        storage().enqueue(other, job("a").build());
        claimOne();
        storage().claim(other, "w", 1, Duration.ofHours(1), Duration.ZERO);
        clock().advance(LEASE);
        assertEquals(1, storage().requeueExpired(queue(), 10).size());
        assertEquals(List.of(), storage().requeueExpired(other, 10));
        assertEquals(JobState.PROCESSING, storage().status(other, "a").orElseThrow().state());

        assertTrue(storage().acquireLock(queue(), "reaper", "me", LEASE));
        assertTrue(storage().acquireLock(other, "reaper", "you", LEASE));
    }

    // ---------------------------------------------------------------- odd ids and big values

    /**
     * Odd ids are stored and read back exactly.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void ids_oddIdsAreStoredAndReadBackExactly() throws Exception {
        List<String> ids = oddIds();
        for (String id : ids) {
            assertTrue(storage().enqueue(queue(), job(id).payload("payload of " + id).build()).created(), id);
        }
        assertEquals((long) ids.size(), storage().counts(queue()).get(JobState.QUEUED));
        List<ClaimedJob> claimed = claimNow(ids.size() + 5);
        assertEquals(ids, ids(claimed));
        for (ClaimedJob c : claimed) {
            assertEquals("payload of " + c.id(), text(c.payload()));
            assertEquals(TransitionOutcome.APPLIED, storage().complete(queue(), lease(c), bytes("result of " + c.id()), null));
        }
        for (String id : ids) {
            JobSnapshot s = status(id);
            assertEquals(id, s.id());
            assertEquals("result of " + id, text(s.result()));
            assertFalse(storage().enqueue(queue(), job(id).build()).created(), id);
        }
        assertEquals(Set.copyOf(ids), Set.copyOf(storage().list(queue(), JobState.COMPLETED, 1_000)));
        assertTrue(storage().status(queue(), "a").isEmpty());
        assertTrue(storage().status(queue(), "x").isEmpty());
        assertTrue(storage().status(queue(), "etc/passwd").isEmpty());
    }

    /**
     * Odd ids do not collide with each other or with other queues.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void ids_oddIdsDoNotCollideWithEachOtherOrOtherQueues() throws Exception {
        for (String id : oddIds()) {
            storage().enqueue(queue(), job(id).build());
            assertEquals(CancelResult.CANCELLED, storage().cancel(queue(), id), id);
            assertTrue(storage().status(queue() + "x", id).isEmpty(), id);
        }
        assertEquals((long) oddIds().size(), storage().counts(queue()).get(JobState.CANCELLED));
    }

    /**
     * Empty and large payloads and results round-trip.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void ids_emptyAndLargePayloadsAndResultsRoundTrip() throws Exception {
        byte[] big = new byte[2 * 1024 * 1024];
        new java.util.Random(42).nextBytes(big);
        storage().enqueue(queue(), job("empty").payload(new byte[0]).build());
        storage().enqueue(queue(), job("big").payload(big).build());
        List<ClaimedJob> claimed = claimNow(2);
        assertArrayEquals(new byte[0], claimed.get(0).payload());
        assertArrayEquals(big, claimed.get(1).payload());
        storage().complete(queue(), lease(claimed.get(0)), new byte[0], null);
        storage().complete(queue(), lease(claimed.get(1)), big, null);
        assertArrayEquals(new byte[0], status("empty").result());
        assertArrayEquals(big, status("big").result());
        EnqueueOutcome dup = storage().enqueue(queue(), job("big").build());
        assertArrayEquals(big, dup.existing().result());
    }

    /**
     * Every byte value in a payload round-trips.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void ids_allByteValuesInPayloadRoundTrip() throws Exception {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        storage().enqueue(queue(), job("bytes").payload(all).build());
        ClaimedJob c = claimOne();
        assertArrayEquals(all, c.payload());
        storage().complete(queue(), lease(c), all, null);
        assertArrayEquals(all, status("bytes").result());
    }

    // ---------------------------------------------------------------- id rules

    /**
     * An id with an unpaired surrogate is rejected, and the id with '?' in its place stays intact.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void ids_unpairedSurrogateIsRejectedAndTheIdWithAQuestionMarkStaysIntact() throws Exception {
        assertTrue(storage().enqueue(queue(), job("x?").payload("first").build()).created());
        String unpaired = "x\uD800";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> storage().enqueue(queue(), job(unpaired).payload("second").build()));
        assertTrue(e.getMessage().contains("id") && e.getMessage().contains("surrogate"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> storage().enqueueBatch(queue(), List.of(job(unpaired).payload("second").build())));
        assertThrows(IllegalArgumentException.class, () -> storage().cancel(queue(), unpaired));
        assertThrows(IllegalArgumentException.class, () -> storage().status(queue(), unpaired));

        assertEquals(List.of("x?"), storage().list(queue(), JobState.QUEUED, 10));
        assertEquals(1L, storage().counts(queue()).get(JobState.QUEUED));
        ClaimedJob c = claimOne();
        assertEquals("x?", c.id());
        assertEquals("first", text(c.payload()));
    }

    /**
     * An id of the maximum length works; one char more is rejected.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void ids_maxLengthIdWorksAndOneCharMoreIsRejected() throws Exception {
        String longest = "i".repeat(CheckedStorage.MAX_NAME_LENGTH - 2) + "\uD83D\uDE00";
        assertEquals(CheckedStorage.MAX_NAME_LENGTH, longest.length());
        assertTrue(storage().enqueue(queue(), job(longest).build()).created());
        ClaimedJob c = claimOne();
        assertEquals(longest, c.id());
        assertEquals(TransitionOutcome.APPLIED, storage().complete(queue(), lease(c), bytes("done"), null));
        assertEquals("done", text(status(longest).result()));
        assertFalse(storage().enqueue(queue(), job(longest).build()).created());

        String tooLong = "i" + longest;
        for (String id : List.of(tooLong, "i".repeat(CheckedStorage.MAX_NAME_LENGTH + 1))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> storage().enqueue(queue(), job(id).build()));
            assertTrue(e.getMessage().contains(String.valueOf(CheckedStorage.MAX_NAME_LENGTH)), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> storage().status(queue(), id));
        }
        assertEquals(List.of(longest), storage().list(queue(), JobState.COMPLETED, 10));
    }

    /**
     * Odd ids every storage must store exactly and keep apart: separators and pattern characters of
     * key and path syntaxes, path traversal, unicode with a supplementary character, white space,
     * an id that is a '?' away from an unpaired surrogate, and the longest id allowed.
      *
      * @return the ids, all distinct
     */
    default List<String> oddIds() {
        return List.of("a:b", "{x}", "*", "../../etc/passwd", "..", "a/b", "a\\b", "ünïcødé-日本-😀", " spaced id ",
                "line\nbreak", "%2e%2e", "x?", "x".repeat(CheckedStorage.MAX_NAME_LENGTH));
    }
}
