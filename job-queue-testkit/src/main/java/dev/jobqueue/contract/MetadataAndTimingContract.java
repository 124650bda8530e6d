package dev.jobqueue.contract;

import static dev.jobqueue.contract.TestJobs.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.jobqueue.JobState;
import dev.jobqueue.ListOrder;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.JobMetadata;
import dev.jobqueue.spi.JobSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Job metadata and timing: metadata comes back unchanged from claim, status and listJobs (unicode,
 * the most entries, the most bytes); readyAt is when the job last became claimable, claimedAt the
 * claim's now, startedAt the latest claim and finishedAt the end, all on the storage's clock.
 * Bad metadata is covered by {@link ArgumentsContract}.
 *
 * <!-- snippet: metadata-and-timing-contract -->
 * <pre>{@code
 * storage.enqueue(queue, TestJobs.job("a").metadata(Map.of("tenant", "acme")).build());
 * ClaimedJob claimed = storage.claim(queue, "w", 1, lease, Duration.ZERO).get(0);
 * Duration waited = Duration.between(claimed.readyAt(), claimed.claimedAt());
 * }</pre>
 *
 * <p>Part of {@link StorageContract}; runs on any {@link StorageFixture}.
 */
public interface MetadataAndTimingContract extends StorageFixture {
    /**
     * Metadata round trips through claim, status and listJobs: unicode, the most entries, the most
     * bytes, and none.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void metadata_roundTripsThroughClaimStatusAndListing() throws Exception {
        Map<String, String> unicode = new LinkedHashMap<>();
        unicode.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        unicode.put("t\u00e9nant", "\u4e2d\u6587 \uD83D\uDE00 \"quoted\" \\ back\nslash");
        unicode.put("empty", "");
        unicode.put("{braces}:colon", "=&?%00");
        Map<String, String> mostEntries = new LinkedHashMap<>();
        for (int i = 0; i < JobMetadata.MAX_ENTRIES; i++) {
            mostEntries.put("k" + i, "v" + i);
        }
        Map<String, String> mostBytes = Map.of("big", "\u00e9".repeat((JobMetadata.MAX_BYTES - 3) / 2) + "x");
        assertEquals(JobMetadata.MAX_BYTES, utf8Bytes(mostBytes));
        Map<String, Map<String, String>> jobs = new LinkedHashMap<>();
        jobs.put("unicode", unicode);
        jobs.put("most-entries", mostEntries);
        jobs.put("most-bytes", mostBytes);
        jobs.put("none", Map.of());
        for (Map.Entry<String, Map<String, String>> e : jobs.entrySet()) {
            storage().enqueue(queue(), job(e.getKey()).metadata(e.getValue()).build());
            assertEquals(e.getValue(), status(e.getKey()).metadata(), e.getKey() + " in status");
        }
        for (JobSnapshot s : Listings.all(storage(), queue(), JobState.QUEUED, ListOrder.OLDEST_FIRST, 2)) {
            assertEquals(jobs.get(s.id()), s.metadata(), s.id() + " in listJobs");
        }
        for (ClaimedJob c : claimNow(10)) {
            assertEquals(jobs.get(c.id()), c.metadata(), c.id() + " in claim");
            storage().fail(queue(), lease(c), error("e"), null);
        }
        for (JobSnapshot s : Listings.all(storage(), queue(), JobState.FAILED, ListOrder.NEWEST_FIRST, 3)) {
            assertEquals(jobs.get(s.id()), s.metadata(), s.id() + " in listJobs of FAILED");
            assertEquals(jobs.get(s.id()), status(s.id()).metadata(), s.id() + " in status of FAILED");
        }
    }

    /**
     * readyAt is the enqueue for an immediate job, the due time for a delayed or backing-off one
     * (not the claim that promoted it), and the time of a release, unclaim or stall requeue;
     * claimedAt is the claim's now.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void timing_readyAtAndClaimedAt() throws Exception {
        Instant t0 = clock().instant();
        storage().enqueue(queue(), job("now").build());
        storage().enqueue(queue(), job("delayed").delay(Duration.ofSeconds(10)).build());
        storage().enqueue(queue(), job("at").runAt(t0.plusSeconds(20)).build());
        clock().advance(Duration.ofSeconds(5));
        ClaimedJob now = claimOne();
        assertTiming(now, "now", t0, t0.plusSeconds(5));
        clock().advance(Duration.ofSeconds(25));
        List<ClaimedJob> due = claimNow(10);
        assertEquals(List.of("delayed", "at"), ids(due));
        assertTiming(due.get(0), "delayed", t0.plusSeconds(10), t0.plusSeconds(30));
        assertTiming(due.get(1), "at", t0.plusSeconds(20), t0.plusSeconds(30));

        Instant retried = clock().instant();
        storage().retry(queue(), lease(now), Duration.ofSeconds(3), error("e"));
        storage().release(queue(), lease(due.get(0)));
        clock().advance(Duration.ofSeconds(1));
        storage().unclaim(queue(), lease(due.get(1)));
        Instant unclaimed = clock().instant();
        clock().advance(Duration.ofSeconds(9));
        List<ClaimedJob> again = claimNow(10);
        assertEquals(List.of("now", "delayed", "at"), ids(again));
        assertTiming(again.get(0), "backoff", retried.plusSeconds(3), clock().instant());
        assertTiming(again.get(1), "release", retried, clock().instant());
        assertTiming(again.get(2), "unclaim", unclaimed, clock().instant());

        clock().advance(LEASE);
        Instant reaped = clock().instant();
        storage().requeueExpired(queue(), 10);
        clock().advance(Duration.ofSeconds(1));
        List<ClaimedJob> stalled = claimNow(10);
        assertEquals(3, stalled.size());
        for (ClaimedJob c : stalled) {
            assertTiming(c, "stall requeue", reaped, clock().instant());
        }
    }

    /**
     * startedAt is the latest claim's time, kept after the job ends; finishedAt is when it became
     * COMPLETED, FAILED or CANCELLED (a stall failure included), null before.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void timing_startedAtAndFinishedAt() throws Exception {
        storage().enqueue(queue(), job("a").build());
        JobSnapshot fresh = status("a");
        assertNull(fresh.startedAt());
        assertNull(fresh.finishedAt());
        clock().advance(Duration.ofSeconds(1));
        Instant firstClaim = clock().instant();
        ClaimedJob first = claimOne();
        assertEquals(firstClaim, status("a").startedAt());
        assertNull(status("a").finishedAt());
        clock().advance(Duration.ofSeconds(1));
        storage().retry(queue(), lease(first), Duration.ZERO, error("e"));
        assertEquals(firstClaim, status("a").startedAt(), "startedAt stays while FAILING");
        assertNull(status("a").finishedAt());
        clock().advance(Duration.ofSeconds(1));
        Instant secondClaim = clock().instant();
        ClaimedJob second = claimOne();
        clock().advance(Duration.ofSeconds(1));
        Instant completed = clock().instant();
        storage().complete(queue(), lease(second), bytes("r"), null);
        JobSnapshot done = status("a");
        assertEquals(secondClaim, done.startedAt());
        assertEquals(completed, done.finishedAt());
        assertEquals(done.startedAt(), Listings.all(storage(), queue(), JobState.COMPLETED, ListOrder.OLDEST_FIRST, 1)
                .get(0).startedAt());

        storage().enqueue(queue(), job("failed").build());
        Instant failedClaim = clock().instant();
        ClaimedJob f = claimOne();
        clock().advance(Duration.ofSeconds(2));
        storage().fail(queue(), lease(f), error("no"), null);
        assertEquals(failedClaim, status("failed").startedAt());
        assertEquals(clock().instant(), status("failed").finishedAt());

        storage().enqueue(queue(), job("cancelled").delay(Duration.ofMinutes(1)).build());
        clock().advance(Duration.ofSeconds(1));
        storage().cancel(queue(), "cancelled");
        assertNull(status("cancelled").startedAt());
        assertEquals(clock().instant(), status("cancelled").finishedAt());

        storage().enqueue(queue(), job("stalled").maxStalls(0).build());
        Instant stalledClaim = clock().instant();
        storage().claim(queue(), "w", 1, Duration.ofSeconds(1), Duration.ZERO);
        clock().advance(Duration.ofSeconds(3));
        storage().requeueExpired(queue(), 10);
        assertEquals(JobState.FAILED, state("stalled"));
        assertEquals(stalledClaim, status("stalled").startedAt());
        assertEquals(clock().instant(), status("stalled").finishedAt());
    }

    private static void assertTiming(ClaimedJob c, String what, Instant readyAt, Instant claimedAt) {
        assertEquals(readyAt, c.readyAt(), what + ": readyAt");
        assertEquals(claimedAt, c.claimedAt(), what + ": claimedAt");
    }

    private static int utf8Bytes(Map<String, String> metadata) {
        int n = 0;
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            n += e.getKey().getBytes(StandardCharsets.UTF_8).length + e.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        return n;
    }
}
