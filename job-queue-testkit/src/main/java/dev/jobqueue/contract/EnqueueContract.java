package dev.jobqueue.contract;

import static dev.jobqueue.contract.TestJobs.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.CancelResult;
import dev.jobqueue.JobError;
import dev.jobqueue.JobState;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.EnqueueOutcome;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.NewJob;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * enqueue, enqueueAsync and enqueueBatch: due and delayed jobs, claim order by priority then
 * enqueue order, async program order, and deduplication by id in every state (a CANCELLED record
 * does not block; an expired one is gone).
 *
 * <!-- snippet: enqueue-contract -->
 * <pre>{@code
 * storage.enqueue(queue, TestJobs.job("a").priority(5).build()); // created
 * storage.enqueue(queue, TestJobs.job("a").build());             // duplicate: answers the existing record
 * }</pre>
 *
 * <p>Part of {@link StorageContract}; runs on any {@link StorageFixture}.
 */
public interface EnqueueContract extends StorageFixture {
    // ---------------------------------------------------------------- enqueue

    /** {@code enqueue} of a due job makes it QUEUED. */
    @Test
    default void enqueue_dueJobIsQueued() {
        EnqueueOutcome outcome = storage().enqueue(queue(), job("a").build());
        assertTrue(outcome.created());
        assertNull(outcome.existing());
        JobSnapshot s = status("a");
        assertEquals(JobState.QUEUED, s.state());
        assertEquals(clock().instant(), s.createdAt());
        assertEquals(0, s.attempts());
        assertEquals(3, s.maxAttempts());
        assertEquals(0, s.stalls());
        assertNull(s.result());
        assertNull(s.error());
        assertNull(s.expiresAt());
        assertNull(s.workerId());
        assertNull(s.leaseDeadline());
    }

    /**
     * A job with a delay is DELAYED and claimable only when due.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void enqueue_withDelayIsDelayedAndClaimableOnlyWhenDue() throws Exception {
        storage().enqueue(queue(), job("d").delay(Duration.ofSeconds(10)).build());
        JobSnapshot s = status("d");
        assertEquals(JobState.DELAYED, s.state());
        assertEquals(clock().instant().plusSeconds(10), s.runAt());

        assertTrue(claimNow(10).isEmpty());
        clock().advance(Duration.ofMillis(9_999));
        assertTrue(claimNow(10).isEmpty());
        assertEquals(JobState.DELAYED, state("d"));
        clock().advance(Duration.ofMillis(1));
        assertEquals(List.of("d"), ids(claimNow(10)));
    }

    /**
     * A job with {@code runAt} is DELAYED until then.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void enqueue_withRunAtIsDelayedUntilThen() throws Exception {
        Instant at = clock().instant().plusSeconds(60);
        storage().enqueue(queue(), job("r").runAt(at).build());
        assertEquals(JobState.DELAYED, state("r"));
        assertEquals(at, status("r").runAt());
        clock().set(at.minusMillis(1));
        assertTrue(claimNow(1).isEmpty());
        clock().set(at);
        assertEquals(List.of("r"), ids(claimNow(1)));
    }

    /** A job with {@code runAt} in the past is QUEUED. */
    @Test
    default void enqueue_withRunAtInThePastIsQueued() {
        storage().enqueue(queue(), job("p").runAt(clock().instant().minusSeconds(5)).build());
        assertEquals(JobState.QUEUED, state("p"));
    }

    /** {@code runAt} wins over a delay. */
    @Test
    default void enqueue_runAtWinsOverDelay() {
        storage().enqueue(queue(), job("x").delay(Duration.ofHours(1)).runAt(clock().instant()).build());
        assertEquals(JobState.QUEUED, state("x"));
    }

    /**
     * Higher priority is claimed first, FIFO within a priority.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void enqueue_higherPriorityIsClaimedFirstAndFifoWithinPriority() throws Exception {
        storage().enqueue(queue(), job("low1").priority(0).build());
        storage().enqueue(queue(), job("high1").priority(10).build());
        storage().enqueue(queue(), job("low2").priority(0).build());
        storage().enqueue(queue(), job("mid").priority(5).build());
        storage().enqueue(queue(), job("high2").priority(10).build());
        storage().enqueue(queue(), job("neg").priority(-3).build());
        assertEquals(List.of("high1", "high2", "mid", "low1", "low2", "neg"), ids(claimNow(10)));
    }

    /**
     * Claim order holds across separate claims.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void enqueue_claimOrderHoldsAcrossSeparateClaims() throws Exception {
        for (int i = 0; i < 20; i++) {
            storage().enqueue(queue(), job("j" + i).priority(i % 2).build());
        }
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            order.addAll(ids(claimNow(1)));
        }
        List<String> expected = new ArrayList<>();
        IntStream.range(0, 20).filter(i -> i % 2 == 1).forEach(i -> expected.add("j" + i));
        IntStream.range(0, 20).filter(i -> i % 2 == 0).forEach(i -> expected.add("j" + i));
        assertEquals(expected, order);
    }

    /**
     * A promoted DELAYED job keeps its enqueue position.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void enqueue_promotedDelayedJobKeepsItsEnqueuePosition() throws Exception {
        storage().enqueue(queue(), job("early-delayed").delay(Duration.ofSeconds(1)).build());
        storage().enqueue(queue(), job("later-ready").build());
        clock().advance(Duration.ofSeconds(1));
        assertEquals(List.of("early-delayed", "later-ready"), ids(claimNow(2)));
    }

    /** {@code enqueueBatch} reports outcomes in input order, duplicates included. */
    @Test
    default void enqueue_batchReportsOutcomesInOrderIncludingDuplicates() {
        storage().enqueue(queue(), job("existing").payload("old").build());
        List<EnqueueOutcome> outcomes = storage().enqueueBatch(queue(), List.of(
                job("b1").build(),
                job("existing").payload("new").build(),
                job("b2").delay(Duration.ofSeconds(5)).build(),
                job("b1").payload("again").build(),
                job("b3").build()));
        assertEquals(5, outcomes.size());
        assertTrue(outcomes.get(0).created());
        assertFalse(outcomes.get(1).created());
        assertEquals(JobState.QUEUED, outcomes.get(1).existing().state());
        assertTrue(outcomes.get(2).created());
        assertFalse(outcomes.get(3).created());
        assertEquals("b1", outcomes.get(3).existing().id());
        assertTrue(outcomes.get(4).created());
        assertEquals(JobState.DELAYED, state("b2"));
        assertEquals(JobState.QUEUED, state("b3"));
    }

    /**
     * Jobs of one {@code enqueueBatch} are claimed in batch order.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void enqueue_batchJobsAreClaimedInBatchOrder() throws Exception {
        List<NewJob> batch = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            batch.add(job("b" + i).build());
        }
        storage().enqueueBatch(queue(), batch);
        List<String> expected = batch.stream().map(NewJob::id).collect(Collectors.toList());
        assertEquals(expected, ids(claimNow(100)));
    }

    /**
     * {@code enqueueAsync} reports created jobs and duplicates like {@code enqueue}.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void enqueueAsync_reportsCreatedAndDuplicatesLikeEnqueue() throws Exception {
        storage().enqueue(queue(), job("existing").payload("old").build());
        EnqueueOutcome created = storage().enqueueAsync(queue(), job("a").build()).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        EnqueueOutcome duplicate = storage().enqueueAsync(queue(), job("existing").payload("new").build())
                .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertTrue(created.created());
        assertFalse(duplicate.created());
        assertEquals(JobState.QUEUED, duplicate.existing().state());
        assertEquals("old", text(claimNow(2).stream().filter(c -> c.id().equals("existing")).findFirst()
                .orElseThrow().payload()));
        assertEquals(JobState.PROCESSING, state("a"));
    }

    /**
     * {@code enqueueAsync}: many in flight from one thread all land in issue order.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void enqueueAsync_manyInFlightFromOneThreadAllLandInIssueOrder() throws Exception {
        List<CompletableFuture<EnqueueOutcome>> futures = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            expected.add("a" + i);
            futures.add(storage().enqueueAsync(queue(), job("a" + i).build()));
        }
        futures.add(storage().enqueueAsync(queue(), job("a7").build()));
        for (int i = 0; i < 1000; i++) {
            assertTrue(futures.get(i).get(PATIENCE.toSeconds(), TimeUnit.SECONDS).created(), "a" + i);
        }
        assertFalse(futures.get(1000).get(PATIENCE.toSeconds(), TimeUnit.SECONDS).created(), "a7 again");
        assertEquals(expected, ids(claimNow(2000)));
    }

    /**
     * {@code enqueueAsync}: a call made after it by the same thread sees the job.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void enqueueAsync_aCallMadeAfterItByTheSameThreadSeesTheJob() throws Exception {
        // Program order holds per thread even when the first call does not wait: a cancel or a
        // status read right after an enqueueAsync of the same id finds the job.
        List<CompletableFuture<EnqueueOutcome>> futures = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String id = "then-look-" + i;
            futures.add(storage().enqueueAsync(queue(), job(id).delay(Duration.ofHours(1)).build()));
            if (i % 2 == 0) {
                assertEquals(CancelResult.CANCELLED, storage().cancel(queue(), id), id);
            } else {
                assertEquals(JobState.DELAYED, storage().status(queue(), id).map(JobSnapshot::state).orElse(null), id);
            }
        }
        for (CompletableFuture<EnqueueOutcome> f : futures) {
            assertTrue(f.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).created());
        }
        assertEquals(150L, storage().counts(queue()).get(JobState.CANCELLED));
        assertEquals(150L, storage().counts(queue()).get(JobState.DELAYED));
    }

    /**
     * {@code enqueueAsync}: waiting claim returns the job.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void enqueueAsync_waitingClaimReturnsTheJob() throws Exception {
        assertWaitingClaimGets("late", () -> assertTrue(storage().enqueueAsync(queue(), job("late").build())
                .get(PATIENCE.toSeconds(), TimeUnit.SECONDS).created()));
        assertEquals(JobState.PROCESSING, state("late"));
    }

    /** An empty {@code enqueueBatch} is fine. */
    @Test
    default void enqueue_emptyBatchIsFine() {
        assertEquals(List.of(), storage().enqueueBatch(queue(), List.of()));
    }

    // ---------------------------------------------------------------- dedup

    /** An id is deduplicated while its job is QUEUED. */
    @Test
    default void dedup_whileQueued() {
        storage().enqueue(queue(), job("a").payload("first").build());
        EnqueueOutcome dup = storage().enqueue(queue(), job("a").payload("second").priority(9).build());
        assertFalse(dup.created());
        assertEquals("a", dup.existing().id());
        assertEquals(JobState.QUEUED, dup.existing().state());
        assertEquals(0, dup.existing().priority());
        assertEquals(1, storage().counts(queue()).get(JobState.QUEUED));
    }

    /**
     * Deduplication: the first payload stands.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void dedup_firstPayloadStands() throws Exception {
        storage().enqueue(queue(), job("a").payload("first").build());
        storage().enqueue(queue(), job("a").payload("second").build());
        assertEquals("first", text(claimOne().payload()));
    }

    /** An id is deduplicated while its job is DELAYED. */
    @Test
    default void dedup_whileDelayed() {
        storage().enqueue(queue(), job("a").delay(Duration.ofMinutes(1)).build());
        EnqueueOutcome dup = storage().enqueue(queue(), job("a").build());
        assertFalse(dup.created());
        assertEquals(JobState.DELAYED, dup.existing().state());
        assertEquals(JobState.DELAYED, state("a"));
    }

    /**
     * An id is deduplicated while its job is PROCESSING.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void dedup_whileProcessing() throws Exception {
        storage().enqueue(queue(), job("a").build());
        claimOne();
        EnqueueOutcome dup = storage().enqueue(queue(), job("a").build());
        assertFalse(dup.created());
        assertEquals(JobState.PROCESSING, dup.existing().state());
        assertEquals(1, dup.existing().attempts());
    }

    /**
     * An id is deduplicated while its job is FAILING.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void dedup_whileFailing() throws Exception {
        storage().enqueue(queue(), job("a").build());
        ClaimedJob c = claimOne();
        storage().retry(queue(), lease(c), Duration.ofSeconds(10), error("boom"));
        EnqueueOutcome dup = storage().enqueue(queue(), job("a").build());
        assertFalse(dup.created());
        assertEquals(JobState.FAILING, dup.existing().state());
        assertEquals("boom", dup.existing().error().message());
    }

    /**
     * A duplicate of a COMPLETED job is reported with its result.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void dedup_afterCompletionCarriesTheResult() throws Exception {
        storage().enqueue(queue(), job("a").build());
        storage().complete(queue(), lease(claimOne()), bytes("result-a"), null);
        EnqueueOutcome dup = storage().enqueue(queue(), job("a").payload("different").build());
        assertFalse(dup.created());
        assertEquals(JobState.COMPLETED, dup.existing().state());
        assertEquals("result-a", text(dup.existing().result()));
        assertTrue(claimNow(1).isEmpty());
    }

    /**
     * A duplicate of a FAILED job is reported with its error.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void dedup_afterFailureCarriesTheError() throws Exception {
        storage().enqueue(queue(), job("a").build());
        JobError err = error("it broke");
        storage().fail(queue(), lease(claimOne()), err, null);
        EnqueueOutcome dup = storage().enqueue(queue(), job("a").build());
        assertFalse(dup.created());
        assertEquals(JobState.FAILED, dup.existing().state());
        assertEquals(err, dup.existing().error());
    }

    /**
     * A CANCELLED job does not block its id; the new payload is used.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void dedup_cancelledJobDoesNotBlockAndNewPayloadIsUsed() throws Exception {
        storage().enqueue(queue(), job("a").payload("old").priority(1).build());
        assertEquals(CancelResult.CANCELLED, storage().cancel(queue(), "a"));
        clock().advance(Duration.ofSeconds(1));
        EnqueueOutcome again = storage().enqueue(queue(), job("a").payload("new").priority(2).build());
        assertTrue(again.created());
        JobSnapshot s = status("a");
        assertEquals(JobState.QUEUED, s.state());
        assertEquals(2, s.priority());
        assertEquals(clock().instant(), s.createdAt());
        ClaimedJob c = claimOne();
        assertEquals("new", text(c.payload()));
        assertEquals(1, c.attempt());
    }

    /**
     * A terminal record blocks its id within its TTL and expires after it.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void dedup_terminalRecordBlocksWithinTtlAndExpiresAfter() throws Exception {
        storage().enqueue(queue(), job("a").resultTtl(Duration.ofSeconds(60)).build());
        storage().complete(queue(), lease(claimOne()), bytes("r"), null);
        clock().advance(Duration.ofMillis(59_999));
        assertFalse(storage().enqueue(queue(), job("a").build()).created());
        assertEquals(JobState.COMPLETED, state("a"));
        clock().advance(Duration.ofMillis(1));
        assertEquals(Optional.empty(), storage().status(queue(), "a"));
        assertTrue(storage().enqueue(queue(), job("a").payload("second life").build()).created());
        assertEquals(JobState.QUEUED, state("a"));
        assertEquals("second life", text(claimOne().payload()));
    }

    /**
     * A FAILED record expires after its TTL.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void dedup_failedRecordExpiresAfterItsTtl() throws Exception {
        storage().enqueue(queue(), job("a").resultTtl(Duration.ofSeconds(5)).build());
        storage().fail(queue(), lease(claimOne()), error("x"), null);
        clock().advance(Duration.ofSeconds(4));
        assertFalse(storage().enqueue(queue(), job("a").build()).created());
        clock().advance(Duration.ofSeconds(1));
        assertTrue(storage().status(queue(), "a").isEmpty());
        assertTrue(storage().enqueue(queue(), job("a").build()).created());
    }

    /** A CANCELLED record expires after its TTL. */
    @Test
    default void dedup_cancelledRecordExpiresAfterItsTtl() {
        storage().enqueue(queue(), job("a").resultTtl(Duration.ofSeconds(5)).build());
        storage().cancel(queue(), "a");
        JobSnapshot s = status("a");
        assertEquals(JobState.CANCELLED, s.state());
        assertEquals(clock().instant().plusSeconds(5), s.expiresAt());
        clock().advance(Duration.ofSeconds(5));
        assertTrue(storage().status(queue(), "a").isEmpty());
        assertEquals(CancelResult.NOT_FOUND, storage().cancel(queue(), "a"));
    }
}
