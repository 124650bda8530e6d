package dev.jobqueue.contract;

import static dev.jobqueue.contract.TestJobs.job;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobState;
import dev.jobqueue.ListOrder;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.SnapshotPage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * listJobs: the order of each state ({@link ListOrder}), NEWEST_FIRST as the exact reverse,
 * keyset paging that lists a job staying in its state exactly once however the pages fall,
 * cursors that only fit their state and order, and snapshots that carry payload and metadata.
 *
 * <!-- snippet: list-jobs-contract -->
 * <pre>{@code
 * SnapshotPage page = storage.listJobs(queue, JobState.FAILED, ListOrder.NEWEST_FIRST, null, 50);
 * SnapshotPage next = storage.listJobs(queue, JobState.FAILED, ListOrder.NEWEST_FIRST, page.nextCursor(), 50);
 * }</pre>
 *
 * <p>Part of {@link StorageContract}; runs on any {@link StorageFixture}.
 */
public interface ListJobsContract extends StorageFixture {
    /** An empty state gives an empty last page, in both orders. */
    @Test
    default void listJobs_emptyStateGivesAnEmptyLastPage() {
        for (JobState state : JobState.values()) {
            for (ListOrder order : ListOrder.values()) {
                SnapshotPage page = storage().listJobs(queue(), state, order, null, 10);
                assertEquals(List.of(), page.jobs(), state + " " + order);
                assertNull(page.nextCursor(), state + " " + order);
            }
        }
    }

    /**
     * QUEUED jobs are listed in claim order (priority, then FIFO); NEWEST_FIRST is its reverse.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void listJobs_queuedInClaimOrder() throws Exception {
        storage().enqueue(queue(), job("a").priority(0).build());
        storage().enqueue(queue(), job("b").priority(5).build());
        storage().enqueue(queue(), job("c").priority(0).build());
        storage().enqueue(queue(), job("d").priority(5).build());
        storage().enqueue(queue(), job("e").priority(-1).build());
        List<String> expected = List.of("b", "d", "a", "c", "e");
        assertBothOrders(JobState.QUEUED, expected);
        assertEquals(expected, ids(claimNow(10)), "the listing is the claim order");
    }

    /** DELAYED jobs are listed by due time, ties included, in a total order. */
    @Test
    default void listJobs_delayedByDueTime() {
        storage().enqueue(queue(), job("in30").delay(Duration.ofSeconds(30)).build());
        storage().enqueue(queue(), job("in10").delay(Duration.ofSeconds(10)).build());
        storage().enqueue(queue(), job("in20").delay(Duration.ofSeconds(20)).build());
        storage().enqueue(queue(), job("in20b").delay(Duration.ofSeconds(20)).build());
        storage().enqueue(queue(), job("at40").runAt(clock().instant().plusSeconds(40)).build());
        List<String> listed = Listings.ids(storage(), queue(), JobState.DELAYED, ListOrder.OLDEST_FIRST, 100);
        assertEquals("in10", listed.get(0));
        assertEquals(Set.of("in20", "in20b"), Set.copyOf(listed.subList(1, 3)));
        assertEquals(List.of("in30", "at40"), listed.subList(3, 5));
        assertBothOrders(JobState.DELAYED, listed);
    }

    /**
     * FAILING jobs are listed by the end of their backoff.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void listJobs_failingByDueTime() throws Exception {
        Map<String, Integer> backoffs = Map.of("f20", 20, "f10", 10, "f30", 30);
        for (String id : List.of("f20", "f10", "f30")) {
            storage().enqueue(queue(), job(id).build());
        }
        for (ClaimedJob c : claimNow(3)) {
            storage().retry(queue(), lease(c), Duration.ofSeconds(backoffs.get(c.id())), error("again"));
        }
        assertBothOrders(JobState.FAILING, List.of("f10", "f20", "f30"));
    }

    /**
     * PROCESSING jobs are listed by lease deadline.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void listJobs_processingByLeaseDeadline() throws Exception {
        for (String id : List.of("l30", "l10", "l20")) {
            storage().enqueue(queue(), job(id).build());
        }
        storage().claim(queue(), "w", 1, Duration.ofSeconds(30), Duration.ZERO);
        storage().claim(queue(), "w", 1, Duration.ofSeconds(10), Duration.ZERO);
        storage().claim(queue(), "w", 1, Duration.ofSeconds(20), Duration.ZERO);
        assertBothOrders(JobState.PROCESSING, List.of("l10", "l20", "l30"));
    }

    /**
     * Terminal jobs are listed by expiry: the order they finished in when TTLs are equal.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void listJobs_terminalByExpiry() throws Exception {
        for (String id : List.of("c1", "c2", "c3")) {
            storage().enqueue(queue(), job(id).build());
        }
        storage().complete(queue(), lease(claimOne()), bytes("r"), Duration.ofSeconds(30));
        storage().complete(queue(), lease(claimOne()), bytes("r"), Duration.ofSeconds(10));
        clock().advance(Duration.ofSeconds(1));
        storage().complete(queue(), lease(claimOne()), bytes("r"), Duration.ofSeconds(10));
        assertBothOrders(JobState.COMPLETED, List.of("c2", "c3", "c1"));

        for (String id : List.of("f1", "f2")) {
            storage().enqueue(queue(), job(id).build());
            storage().fail(queue(), lease(claimOne()), error("no"), null);
            clock().advance(Duration.ofSeconds(1));
        }
        assertBothOrders(JobState.FAILED, List.of("f1", "f2"));

        for (String id : List.of("x2", "x1", "x3")) {
            storage().enqueue(queue(), job(id).delay(Duration.ofMinutes(1)).build());
            storage().cancel(queue(), id);
            clock().advance(Duration.ofSeconds(1));
        }
        assertBothOrders(JobState.CANCELLED, List.of("x2", "x1", "x3"));
    }

    /**
     * Jobs with equal keys (same instant, same TTL) are in one total order: every page size
     * gives the same sequence, and NEWEST_FIRST is its exact reverse.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void listJobs_tiesAreInOneTotalOrder() throws Exception {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String id = "tie-" + (char) ('a' + (i * 7) % 26) + i;
            all.add(id);
            storage().enqueue(queue(), job(id).delay(Duration.ofSeconds(5)).build());
        }
        List<String> delayed = Listings.ids(storage(), queue(), JobState.DELAYED, ListOrder.OLDEST_FIRST, 100);
        assertEquals(Set.copyOf(all), Set.copyOf(delayed));
        assertBothOrders(JobState.DELAYED, delayed);

        clock().advance(Duration.ofSeconds(5));
        List<ClaimedJob> claimed = claimNow(30);
        assertEquals(30, claimed.size());
        for (ClaimedJob c : claimed) {
            storage().complete(queue(), lease(c), bytes("r"), null);
        }
        List<String> completed = Listings.ids(storage(), queue(), JobState.COMPLETED, ListOrder.OLDEST_FIRST, 100);
        assertEquals(Set.copyOf(all), Set.copyOf(completed));
        assertBothOrders(JobState.COMPLETED, completed);
    }

    /**
     * Paging through many pages lists every job exactly once, in order, whatever the page size.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void listJobs_pagingCoversManyPagesExactlyOnce() throws Exception {
        int n = 250;
        List<List<String>> byPriority = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < n; i++) {
            String id = String.format("j%03d", (i * 37) % n);
            storage().enqueue(queue(), job(id).priority(i % 3).build());
            byPriority.get(2 - i % 3).add(id);
        }
        List<String> claimOrder = new ArrayList<>();
        byPriority.forEach(claimOrder::addAll);
        assertBothOrders(JobState.QUEUED, claimOrder);

        for (int i = 0; i < n; i++) {
            storage().enqueue(queue(), job("d" + i).delay(Duration.ofSeconds(1 + i % 17)).build());
        }
        List<String> delayed = Listings.ids(storage(), queue(), JobState.DELAYED, ListOrder.OLDEST_FIRST, n + 1);
        assertEquals(n, delayed.size());
        assertBothOrders(JobState.DELAYED, delayed);
        Map<String, Long> due = new HashMap<>();
        for (JobSnapshot s : Listings.all(storage(), queue(), JobState.DELAYED, ListOrder.OLDEST_FIRST, 13)) {
            due.put(s.id(), s.runAt().toEpochMilli());
        }
        for (int i = 1; i < delayed.size(); i++) {
            assertTrue(due.get(delayed.get(i - 1)) <= due.get(delayed.get(i)), "due order at " + i);
        }
    }

    /**
     * A job that stays QUEUED while others are claimed, cancelled, enqueued or released between
     * pages is listed exactly once; jobs that left before their page are not listed.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void listJobs_jobsMovingBetweenPagesAreNeverDuplicated() throws Exception {
        for (int i = 0; i < 40; i++) {
            storage().enqueue(queue(), job(String.format("q%02d", i)).build());
        }
        List<String> listed = new ArrayList<>();
        SnapshotPage first = storage().listJobs(queue(), JobState.QUEUED, ListOrder.OLDEST_FIRST, null, 10);
        listed.addAll(Listings.ids(first));
        assertEquals(List.of("q00", "q01", "q02", "q03", "q04", "q05", "q06", "q07", "q08", "q09"), listed);
        assertNotNull(first.nextCursor());

        List<ClaimedJob> claimed = claimNow(12); // q00..q11: two of them not listed yet
        storage().release(queue(), lease(claimed.get(0))); // q00 back, keeping its place
        storage().release(queue(), lease(claimed.get(11))); // q11 back, not listed yet
        storage().cancel(queue(), "q20");
        storage().deleteJob(queue(), "q21");
        storage().enqueue(queue(), job("late").build());

        String cursor = first.nextCursor();
        while (cursor != null) {
            SnapshotPage page = storage().listJobs(queue(), JobState.QUEUED, ListOrder.OLDEST_FIRST, cursor, 10);
            listed.addAll(Listings.ids(page));
            cursor = page.nextCursor();
        }
        Set<String> unique = new HashSet<>(listed);
        assertEquals(listed.size(), unique.size(), "duplicates in " + listed);
        for (int i = 12; i < 40; i++) {
            String id = String.format("q%02d", i);
            assertEquals(i != 20 && i != 21, unique.contains(id), id);
        }
        assertTrue(unique.contains("q11"), "q11 stayed QUEUED at its place");
        assertTrue(unique.contains("late"), "a new job after the cursor is listed");
        assertEquals(1, listed.stream().filter("q00"::equals).count(), "q00 was listed before it left and came back");
    }

    /**
     * A job released and claimed again at the same instant, with the same lease, is listed once,
     * and the page that ends before it still says more follow.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void listJobs_aJobBackAtTheSameKeyIsListedOnce() throws Exception {
        for (String id : List.of("a", "b", "c")) {
            storage().enqueue(queue(), job(id).build());
        }
        storage().enqueue(queue(), job("later").build());
        List<ClaimedJob> claimed = claimNow(3);
        storage().release(queue(), lease(claimed.get(1)));
        assertEquals(List.of("b"), ids(claimNow(1)), "b comes back first, keeping its place");
        clock().advance(Duration.ofSeconds(1));
        claimOne(); // "later": a lease that ends one second after the others
        for (int pageSize : new int[] {1, 2, 3, 4, 5}) {
            List<String> oldest = Listings.ids(storage(), queue(), JobState.PROCESSING, ListOrder.OLDEST_FIRST, pageSize);
            assertEquals(4, oldest.size(), "pages of " + pageSize + ": " + oldest);
            assertEquals(Set.of("a", "b", "c"), Set.copyOf(oldest.subList(0, 3)));
            assertEquals("later", oldest.get(3));
            assertEquals(Listings.reversed(oldest),
                    Listings.ids(storage(), queue(), JobState.PROCESSING, ListOrder.NEWEST_FIRST, pageSize));
        }
    }

    /** A page smaller than its limit is the last one. */
    @Test
    default void listJobs_aShortFirstPageHasNoCursor() {
        for (int i = 0; i < 3; i++) {
            storage().enqueue(queue(), job("a" + i).build());
        }
        SnapshotPage page = storage().listJobs(queue(), JobState.QUEUED, ListOrder.OLDEST_FIRST, null, 4);
        assertEquals(3, page.jobs().size());
        assertNull(page.nextCursor());
        SnapshotPage full = storage().listJobs(queue(), JobState.QUEUED, ListOrder.NEWEST_FIRST, null, 2);
        assertEquals(List.of("a2", "a1"), Listings.ids(full));
        assertNotNull(full.nextCursor());
    }

    /** A malformed cursor, or one made for another state or order, is rejected naming "cursor"; nothing changes. */
    @Test
    default void listJobs_cursorOfAnotherStateOrOrderOrMalformedIsRejected() {
        for (int i = 0; i < 3; i++) {
            storage().enqueue(queue(), job("a" + i).build());
            storage().enqueue(queue(), job("d" + i).delay(Duration.ofSeconds(1 + i)).build());
        }
        String queuedOldest = storage().listJobs(queue(), JobState.QUEUED, ListOrder.OLDEST_FIRST, null, 1).nextCursor();
        String delayedNewest = storage().listJobs(queue(), JobState.DELAYED, ListOrder.NEWEST_FIRST, null, 1).nextCursor();
        assertNotNull(queuedOldest);
        assertNotNull(delayedNewest);
        Map<JobState, Long> before = storage().counts(queue());

        assertCursorRejected(JobState.QUEUED, ListOrder.NEWEST_FIRST, queuedOldest);
        assertCursorRejected(JobState.DELAYED, ListOrder.OLDEST_FIRST, queuedOldest);
        assertCursorRejected(JobState.COMPLETED, ListOrder.OLDEST_FIRST, queuedOldest);
        assertCursorRejected(JobState.QUEUED, ListOrder.OLDEST_FIRST, delayedNewest);
        assertCursorRejected(JobState.DELAYED, ListOrder.OLDEST_FIRST, delayedNewest);
        for (String bad : List.of("garbage", "x", "::::", "\u00e9t\u00e9 \uD83D\uDE00", "v1:QUEUED:OLDEST_FIRST:abc:def")) {
            assertCursorRejected(JobState.QUEUED, ListOrder.OLDEST_FIRST, bad);
        }
        assertEquals(before, storage().counts(queue()));
        assertEquals(List.of("a1"), Listings.ids(
                storage().listJobs(queue(), JobState.QUEUED, ListOrder.OLDEST_FIRST, queuedOldest, 1)));
        assertEquals(List.of("d1"), Listings.ids(
                storage().listJobs(queue(), JobState.DELAYED, ListOrder.NEWEST_FIRST, delayedNewest, 1)));
    }

    /**
     * Listed snapshots carry the record as status() has it, plus payload and metadata, in every state.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void listJobs_snapshotsCarryPayloadMetadataAndTheRecord() throws Exception {
        Map<String, String> meta = Map.of("tenant", "acme", "trace", "t-1");
        for (String id : List.of("processing", "failing", "completed", "failed")) {
            storage().enqueue(queue(), job(id).priority(9).payload("payload of " + id).metadata(meta).build());
        }
        Map<String, ClaimedJob> byId = new HashMap<>();
        for (ClaimedJob c : claimNow(4)) {
            byId.put(c.id(), c);
        }
        storage().retry(queue(), lease(byId.get("failing")), Duration.ofHours(1), error("later"));
        storage().complete(queue(), lease(byId.get("completed")), bytes("result"), null);
        storage().fail(queue(), lease(byId.get("failed")), error("no"), null);
        for (String id : List.of("queued", "delayed", "cancelled")) {
            storage().enqueue(queue(), job(id).payload("payload of " + id).metadata(meta)
                    .delay(id.equals("delayed") ? Duration.ofHours(1) : Duration.ZERO).build());
        }
        storage().cancel(queue(), "cancelled");
        clock().advance(Duration.ofSeconds(1));
        for (JobState state : JobState.values()) {
            for (ListOrder order : ListOrder.values()) {
                List<JobSnapshot> listed = Listings.all(storage(), queue(), state, order, 10);
                assertEquals(1, listed.size(), state + " " + order);
                JobSnapshot s = listed.get(0);
                assertEquals(state.name().toLowerCase(java.util.Locale.ROOT), s.id());
                SnapshotAssertions.assertSameRecord(status(s.id()), s, "listJobs " + state);
                assertArrayEquals(bytes("payload of " + s.id()), s.payload(), s.id() + ": payload");
                assertEquals(meta, s.metadata(), s.id() + ": metadata");
                assertEquals(status(s.id()).startedAt(), s.startedAt(), s.id() + ": startedAt");
                assertEquals(status(s.id()).finishedAt(), s.finishedAt(), s.id() + ": finishedAt");
            }
        }
    }

    /**
     * Expired terminal records are never listed.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void listJobs_expiredRecordsAreNotListed() throws Exception {
        storage().enqueue(queue(), job("short").resultTtl(Duration.ofSeconds(1)).build());
        storage().enqueue(queue(), job("long").resultTtl(Duration.ofHours(1)).build());
        storage().complete(queue(), lease(claimOne()), bytes("r"), null);
        storage().complete(queue(), lease(claimOne()), bytes("r"), null);
        clock().advance(Duration.ofSeconds(1));
        for (ListOrder order : ListOrder.values()) {
            assertEquals(List.of("long"), Listings.ids(storage(), queue(), JobState.COMPLETED, order, 1));
        }
    }

    /** Jobs of another queue are never listed. */
    @Test
    default void listJobs_otherQueuesAreNotListed() {
        String other = queue() + "-other";
        storage().enqueue(other, job("theirs").build());
        storage().enqueue(queue(), job("ours").build());
        assertEquals(List.of("ours"), Listings.ids(storage(), queue(), JobState.QUEUED, ListOrder.OLDEST_FIRST, 10));
        assertEquals(List.of("theirs"), Listings.ids(storage(), other, JobState.QUEUED, ListOrder.NEWEST_FIRST, 10));
    }

    /**
     * OLDEST_FIRST lists {@code expected} and NEWEST_FIRST its exact reverse, with page sizes 1, 2, 7
     * and one page for all.
     */
    private void assertBothOrders(JobState state, List<String> expected) {
        for (int pageSize : new int[] {1, 2, 7, expected.size() + 1}) {
            assertEquals(expected, Listings.ids(storage(), queue(), state, ListOrder.OLDEST_FIRST, pageSize),
                    state + " OLDEST_FIRST, pages of " + pageSize);
            assertEquals(Listings.reversed(expected),
                    Listings.ids(storage(), queue(), state, ListOrder.NEWEST_FIRST, pageSize),
                    state + " NEWEST_FIRST, pages of " + pageSize);
        }
    }

    private void assertCursorRejected(JobState state, ListOrder order, String cursor) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> storage().listJobs(queue(), state, order, cursor, 10),
                "cursor '" + cursor + "' for " + state + " " + order);
        assertTrue(String.valueOf(e.getMessage()).contains("cursor"), "message should name the cursor: " + e.getMessage());
    }
}
