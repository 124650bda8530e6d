package dev.jobqueue;

import java.util.List;

/**
 * One page of {@link Queue#list}: up to {@code limit} jobs of one state, in the order asked for,
 * and a cursor to the next page. To see every job of a state, start without a cursor and pass
 * each page's {@link #nextCursor()} to the next call until it is {@code null}. A job that stays in
 * the state while you page appears exactly once; a job that enters or leaves the state meanwhile
 * may or may not appear. Each call reads at most {@code limit} jobs from the storage, however
 * many the state holds.
 *
 * <!-- snippet: job-page -->
 * <pre>{@code
 * String cursor = null;
 * do {
 *     JobPage<Order, Receipt> page = queue.list(JobState.FAILED, ListOrder.OLDEST_FIRST, cursor, 100);
 *     for (JobInfo<Order, Receipt> job : page.jobs()) {
 *         System.out.println(job.id() + ": " + job.error().message());
 *     }
 *     cursor = page.nextCursor();
 * } while (cursor != null);
 * }</pre>
 *
 * @param jobs       the jobs of this page, in the requested order (unmodifiable)
 * @param nextCursor an opaque cursor for the next page (valid for the same queue, state and order),
 *                   or {@code null} when no job follows
 */
public record JobPage<P, R>(List<JobInfo<P, R>> jobs, String nextCursor) {
    /**
     * Copies the list.
     *
     * @param jobs see {@link #jobs()}
     * @param nextCursor see {@link #nextCursor()}
     */
    public JobPage {
        jobs = List.copyOf(Arguments.notNull(jobs, "jobs"));
    }

    /**
     * Whether a next page may hold more jobs.
     *
     * @return {@code nextCursor() != null}
     */
    public boolean hasNext() {
        return nextCursor != null;
    }
}
