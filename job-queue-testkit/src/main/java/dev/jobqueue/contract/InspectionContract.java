package dev.jobqueue.contract;

import static dev.jobqueue.contract.TestJobs.job;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jobqueue.JobState;
import dev.jobqueue.spi.ClaimedJob;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * counts and list: every state counted, expired records not, listings per state with their
 * limits and orders.
 *
 * <!-- snippet: inspection-contract -->
 * <pre>{@code
 * Map<JobState, Long> counts = storage.counts(queue);
 * List<String> next = storage.list(queue, JobState.QUEUED, 10); // in claim order
 * }</pre>
 *
 * <p>Part of {@link StorageContract}; runs on any {@link StorageFixture}.
 */
public interface InspectionContract extends StorageFixture {
    // ---------------------------------------------------------------- counts and list

    /** {@code counts} has every state, zero when empty. */
    @Test
    default void counts_everyStatePresentAndZeroWhenEmpty() {
        Map<JobState, Long> counts = storage().counts(queue());
        for (JobState s : JobState.values()) {
            assertEquals(0L, counts.get(s), s.name());
        }
    }

    /**
     * {@code counts} and {@code list} per state.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void counts_andListPerState() throws Exception {
        populateOneOfEachState();
        Map<JobState, Long> counts = storage().counts(queue());
        assertEquals(2L, counts.get(JobState.QUEUED));
        assertEquals(1L, counts.get(JobState.DELAYED));
        assertEquals(1L, counts.get(JobState.PROCESSING));
        assertEquals(1L, counts.get(JobState.FAILING));
        assertEquals(1L, counts.get(JobState.COMPLETED));
        assertEquals(1L, counts.get(JobState.FAILED));
        assertEquals(1L, counts.get(JobState.CANCELLED));
        assertEquals(List.of("queued-high", "queued-low"), storage().list(queue(), JobState.QUEUED, 10));
        assertEquals(List.of("queued-high"), storage().list(queue(), JobState.QUEUED, 1));
        assertEquals(List.of("delayed"), storage().list(queue(), JobState.DELAYED, 10));
        assertEquals(List.of("processing"), storage().list(queue(), JobState.PROCESSING, 10));
        assertEquals(List.of("failing"), storage().list(queue(), JobState.FAILING, 10));
        assertEquals(List.of("completed"), storage().list(queue(), JobState.COMPLETED, 10));
        assertEquals(List.of("failed"), storage().list(queue(), JobState.FAILED, 10));
        assertEquals(List.of("cancelled"), storage().list(queue(), JobState.CANCELLED, 10));
    }

    /**
     * {@code counts}: expired records are not counted.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void counts_expiredRecordsAreNotCounted() throws Exception {
        storage().enqueue(queue(), job("a").resultTtl(Duration.ofSeconds(1)).build());
        storage().complete(queue(), lease(claimOne()), bytes("r"), null);
        assertEquals(1L, storage().counts(queue()).get(JobState.COMPLETED));
        clock().advance(Duration.ofSeconds(1));
        assertEquals(0L, storage().counts(queue()).get(JobState.COMPLETED));
        assertEquals(List.of(), storage().list(queue(), JobState.COMPLETED, 10));
    }

    /**
     * {@code list} respects {@code limit} in every state.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void list_respectsLimitInEveryState() throws Exception {
        for (int i = 0; i < 3; i++) {
            storage().enqueue(queue(), job("p" + i).build());
        }
        List<ClaimedJob> claimed = claimNow(3);
        for (int i = 0; i < 3; i++) {
            storage().enqueue(queue(), job("q" + i).build());
            storage().enqueue(queue(), job("c" + i).build());
            storage().cancel(queue(), "c" + i);
        }
        assertEquals(2, storage().list(queue(), JobState.PROCESSING, 2).size());
        assertEquals(2, storage().list(queue(), JobState.QUEUED, 2).size());
        assertEquals(2, storage().list(queue(), JobState.CANCELLED, 2).size());
        for (ClaimedJob c : claimed) {
            storage().complete(queue(), lease(c), bytes("r"), null);
        }
        assertEquals(1, storage().list(queue(), JobState.COMPLETED, 1).size());
        assertEquals(3, storage().list(queue(), JobState.COMPLETED, 100).size());
    }

    /**
     * {@code list} of PROCESSING and FAILING jobs.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void list_processingAndFailingJobs() throws Exception {
        storage().enqueue(queue(), job("f1").build());
        storage().enqueue(queue(), job("f2").build());
        storage().enqueue(queue(), job("p").build());
        storage().retry(queue(), lease(claimOne()), Duration.ofSeconds(20), error("e"));
        storage().retry(queue(), lease(claimOne()), Duration.ofSeconds(10), error("e"));
        claimOne();
        assertEquals(List.of("f2", "f1"), storage().list(queue(), JobState.FAILING, 10));
        assertEquals(List.of("p"), storage().list(queue(), JobState.PROCESSING, 10));
        assertEquals(List.of(), storage().list(queue(), JobState.QUEUED, 10));
    }

    /** {@code list} gives DELAYED jobs in due order. */
    @Test
    default void list_delayedInDueOrder() {
        storage().enqueue(queue(), job("in30").delay(Duration.ofSeconds(30)).build());
        storage().enqueue(queue(), job("in10").delay(Duration.ofSeconds(10)).build());
        storage().enqueue(queue(), job("in20").delay(Duration.ofSeconds(20)).build());
        assertEquals(List.of("in10", "in20", "in30"), storage().list(queue(), JobState.DELAYED, 10));
        assertEquals(List.of("in10", "in20"), storage().list(queue(), JobState.DELAYED, 2));
    }

    /** Puts one job in each state: 2 QUEUED (priorities 5 and 1), and one each of the others. */
    private void populateOneOfEachState() throws InterruptedException {
        for (String id : List.of("processing", "failing", "completed", "failed")) {
            storage().enqueue(queue(), job(id).priority(100).build());
        }
        Map<String, ClaimedJob> byId = new HashMap<>();
        for (ClaimedJob c : claimNow(4)) {
            byId.put(c.id(), c);
        }
        storage().retry(queue(), lease(byId.get("failing")), Duration.ofHours(1), error("later"));
        storage().complete(queue(), lease(byId.get("completed")), bytes("r"), null);
        storage().fail(queue(), lease(byId.get("failed")), error("no"), null);
        storage().enqueue(queue(), job("queued-low").priority(1).build());
        storage().enqueue(queue(), job("queued-high").priority(5).build());
        storage().enqueue(queue(), job("delayed").delay(Duration.ofHours(1)).build());
        storage().enqueue(queue(), job("cancelled").build());
        storage().cancel(queue(), "cancelled");
    }
}
