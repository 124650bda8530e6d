package dev.jobqueue.contract;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jobqueue.JobState;
import dev.jobqueue.ListOrder;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.SnapshotPage;
import dev.jobqueue.spi.Storage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Pages through {@link Storage#listJobs} for the operations contracts, checking each page as it goes. */
final class Listings {
    /** More pages than any contract test makes: a cursor that never ends fails instead of hanging. */
    private static final int MAX_PAGES = 10_000;

    private Listings() {
    }

    /**
     * Every job of {@code state}, following cursors with pages of {@code pageSize}: no page is
     * larger than asked, no id appears twice, the listing ends.
     */
    static List<JobSnapshot> all(Storage storage, String queue, JobState state, ListOrder order, int pageSize) {
        List<JobSnapshot> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String cursor = null;
        for (int pages = 0; pages < MAX_PAGES; pages++) {
            SnapshotPage page = storage.listJobs(queue, state, order, cursor, pageSize);
            assertTrue(page.jobs().size() <= pageSize, "a page of " + page.jobs().size() + " jobs for limit " + pageSize);
            for (JobSnapshot s : page.jobs()) {
                assertTrue(seen.add(s.id()), s.id() + " listed twice in " + state + " " + order);
                assertTrue(s.state() == state, s.id() + " listed in " + state + " but is " + s.state());
                out.add(s);
            }
            if (page.nextCursor() == null) {
                return out;
            }
            cursor = page.nextCursor();
        }
        return fail("listing " + state + " " + order + " did not end after " + MAX_PAGES + " pages");
    }

    /** The ids of {@link #all}. */
    static List<String> ids(Storage storage, String queue, JobState state, ListOrder order, int pageSize) {
        return ids(all(storage, queue, state, order, pageSize));
    }

    /** The ids of snapshots, in order. */
    static List<String> ids(List<JobSnapshot> snapshots) {
        return snapshots.stream().map(JobSnapshot::id).collect(Collectors.toList());
    }

    /** The ids of one page. */
    static List<String> ids(SnapshotPage page) {
        return ids(page.jobs());
    }

    /** A reversed copy. */
    static <T> List<T> reversed(List<T> list) {
        List<T> copy = new ArrayList<>(list);
        java.util.Collections.reverse(copy);
        return copy;
    }
}
