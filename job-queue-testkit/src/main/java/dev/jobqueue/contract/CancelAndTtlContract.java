package dev.jobqueue.contract;

import static dev.jobqueue.contract.TestJobs.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.CancelResult;
import dev.jobqueue.JobState;
import dev.jobqueue.TtlUpdateResult;
import dev.jobqueue.spi.JobSnapshot;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * cancel and updateResultTtl: which waiting states can be cancelled (running jobs: {@link CancelRunningContract}), what a CANCELLED record holds, and
 * how the TTL of finished records is lengthened or shortened.
 *
 * <!-- snippet: cancel-and-ttl-contract -->
 * <pre>{@code
 * storage.cancel(queue, "a");                                 // CANCELLED, or the state that kept it
 * storage.updateResultTtl(queue, "done", Duration.ofMinutes(5)); // UPDATED, NOT_TERMINAL or NOT_FOUND
 * }</pre>
 *
 * <p>Part of {@link StorageContract}; runs on any {@link StorageFixture}.
 */
public interface CancelAndTtlContract extends StorageFixture {
    // ---------------------------------------------------------------- cancel

    /**
     * {@code cancel} cancels QUEUED, DELAYED and FAILING jobs.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void cancel_queuedDelayedAndFailingJobs() throws Exception {
        storage().enqueue(queue(), job("failing").build());
        storage().retry(queue(), lease(claimOne()), Duration.ofSeconds(5), error("e"));
        storage().enqueue(queue(), job("queued").build());
        storage().enqueue(queue(), job("delayed").delay(Duration.ofSeconds(5)).build());

        for (String id : List.of("queued", "delayed", "failing")) {
            assertEquals(CancelResult.CANCELLED, storage().cancel(queue(), id), id);
            JobSnapshot s = status(id);
            assertEquals(JobState.CANCELLED, s.state(), id);
            assertEquals(clock().instant().plus(TTL), s.expiresAt(), id);
        }
        clock().advance(Duration.ofSeconds(10));
        assertTrue(claimNow(10).isEmpty());
        assertEquals(CancelResult.CANCELLED, storage().cancel(queue(), "queued"));
    }

    /**
     * {@code cancel}: leaves finished jobs alone and answers their state (running jobs: see
     * {@link CancelRunningContract}).
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void cancel_leavesFinishedJobsAlone() throws Exception {
        storage().enqueue(queue(), job("done").build());
        storage().complete(queue(), lease(claimOne()), bytes("r"), null);
        storage().enqueue(queue(), job("failed").build());
        storage().fail(queue(), lease(claimOne()), error("e"), null);
        JobSnapshot done = status("done");
        JobSnapshot failed = status("failed");

        assertEquals(CancelResult.COMPLETED, storage().cancel(queue(), "done"));
        assertEquals(CancelResult.FAILED, storage().cancel(queue(), "failed"));
        assertEquals(CancelResult.NOT_FOUND, storage().cancel(queue(), "never-enqueued"));
        SnapshotAssertions.assertSameRecord(done, status("done"));
        SnapshotAssertions.assertSameRecord(failed, status("failed"));
        assertEquals("r", text(status("done").result()));
        assertTrue(storage().status(queue(), "never-enqueued").isEmpty());
    }

    /**
     * {@code cancel}: queued job among others is skipped by claims.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void cancel_queuedJobAmongOthersIsSkippedByClaims() throws Exception {
        for (int i = 0; i < 5; i++) {
            storage().enqueue(queue(), job("j" + i).build());
        }
        storage().cancel(queue(), "j1");
        storage().cancel(queue(), "j3");
        assertEquals(List.of("j0", "j2", "j4"), ids(claimNow(10)));
    }

    /**
     * {@code cancel}: cancelled record carries no result or error.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void cancel_cancelledRecordCarriesNoResultOrError() throws Exception {
        storage().enqueue(queue(), job("a").build());
        storage().retry(queue(), lease(claimOne()), Duration.ofMinutes(1), error("e"));
        storage().cancel(queue(), "a");
        JobSnapshot s = status("a");
        assertEquals(JobState.CANCELLED, s.state());
        assertNull(s.error());
        assertNull(s.result());
        assertNull(s.runAt());
        assertEquals(1, s.attempts());
    }

    // ---------------------------------------------------------------- updateResultTtl

    /**
     * {@code updateResultTtl} on a COMPLETED job can lengthen and shorten its TTL.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void ttl_updateOnCompletedCanLengthenAndShorten() throws Exception {
        storage().enqueue(queue(), job("longer").resultTtl(Duration.ofSeconds(10)).build());
        storage().enqueue(queue(), job("shorter").resultTtl(Duration.ofSeconds(10)).build());
        storage().complete(queue(), lease(claimOne()), bytes("l"), null);
        storage().complete(queue(), lease(claimOne()), bytes("s"), null);
        clock().advance(Duration.ofSeconds(1));
        assertEquals(TtlUpdateResult.UPDATED, storage().updateResultTtl(queue(), "longer", Duration.ofSeconds(60)));
        assertEquals(TtlUpdateResult.UPDATED, storage().updateResultTtl(queue(), "shorter", Duration.ofSeconds(2)));
        assertEquals(clock().instant().plusSeconds(60), status("longer").expiresAt());
        assertEquals(clock().instant().plusSeconds(2), status("shorter").expiresAt());
        clock().advance(Duration.ofSeconds(2));
        assertTrue(storage().status(queue(), "shorter").isEmpty());
        assertTrue(storage().enqueue(queue(), job("shorter").build()).created());
        clock().advance(Duration.ofSeconds(20)); // past the original 10 s
        assertEquals(JobState.COMPLETED, state("longer"));
        assertFalse(storage().enqueue(queue(), job("longer").build()).created());
        clock().advance(Duration.ofSeconds(38));
        assertTrue(storage().status(queue(), "longer").isEmpty());
    }

    /**
     * {@code updateResultTtl} on a FAILED job can lengthen and shorten its TTL.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void ttl_updateOnFailedCanLengthenAndShorten() throws Exception {
        storage().enqueue(queue(), job("longer").resultTtl(Duration.ofSeconds(10)).build());
        storage().enqueue(queue(), job("shorter").resultTtl(Duration.ofSeconds(10)).build());
        storage().fail(queue(), lease(claimOne()), error("l"), null);
        storage().fail(queue(), lease(claimOne()), error("s"), null);
        assertEquals(TtlUpdateResult.UPDATED, storage().updateResultTtl(queue(), "longer", Duration.ofSeconds(30)));
        assertEquals(TtlUpdateResult.UPDATED, storage().updateResultTtl(queue(), "shorter", Duration.ofSeconds(3)));
        clock().advance(Duration.ofSeconds(3));
        assertTrue(storage().status(queue(), "shorter").isEmpty());
        clock().advance(Duration.ofSeconds(20));
        assertEquals("l", status("longer").error().message());
        clock().advance(Duration.ofSeconds(7));
        assertTrue(storage().status(queue(), "longer").isEmpty());
    }

    /**
     * {@code updateResultTtl} on unknown, expired and unfinished jobs.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void ttl_updateOnUnknownExpiredAndUnfinishedJobs() throws Exception {
        assertEquals(TtlUpdateResult.NOT_FOUND, storage().updateResultTtl(queue(), "nope", Duration.ofSeconds(1)));
        storage().enqueue(queue(), job("expired").resultTtl(Duration.ofSeconds(1)).build());
        storage().complete(queue(), lease(claimOne()), bytes("r"), null);
        clock().advance(Duration.ofSeconds(1));
        assertEquals(TtlUpdateResult.NOT_FOUND, storage().updateResultTtl(queue(), "expired", Duration.ofHours(1)));
        assertTrue(storage().status(queue(), "expired").isEmpty());

        storage().enqueue(queue(), job("queued").build());
        storage().enqueue(queue(), job("delayed").delay(Duration.ofMinutes(1)).build());
        storage().enqueue(queue(), job("cancelled").build());
        storage().cancel(queue(), "cancelled");
        for (String id : List.of("queued", "delayed", "cancelled")) {
            assertEquals(TtlUpdateResult.NOT_TERMINAL, storage().updateResultTtl(queue(), id, Duration.ofSeconds(1)), id);
        }
        storage().enqueue(queue(), job("running").build());
        claimNow(10);
        assertEquals(TtlUpdateResult.NOT_TERMINAL, storage().updateResultTtl(queue(), "running", Duration.ofSeconds(1)));
    }
}
