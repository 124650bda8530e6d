package dev.jobqueue.spi;

import java.util.List;

/**
 * One page of {@link Storage#listJobs}: the jobs, and the cursor that continues after the last of
 * them.
 *
 * <!-- snippet: spi-snapshot-page -->
 * <pre>{@code
 * String cursor = null;
 * do {
 *     SnapshotPage page = storage.listJobs(queue, JobState.FAILED, ListOrder.OLDEST_FIRST, cursor, 100);
 *     page.jobs().forEach(job -> System.out.println(job.id()));
 *     cursor = page.nextCursor();
 * } while (cursor != null);
 * }</pre>
 *
 * @param jobs       the jobs of this page, in the requested order, with payload and metadata
 * @param nextCursor an opaque cursor for the next page, or {@code null} when this page is the last
 */
public record SnapshotPage(List<JobSnapshot> jobs, String nextCursor) {
    /**
     * Copies the list.
     *
     * @param jobs see {@link #jobs()}
     * @param nextCursor see {@link #nextCursor()}
     */
    public SnapshotPage {
        StorageArguments.requireNonNull(jobs, "jobs");
        jobs = List.copyOf(jobs);
    }
}
