package dev.jobqueue.spi;

/**
 * Told when jobs of a queue reach a terminal state (COMPLETED, FAILED, CANCELLED), including
 * jobs finished by other processes. Used by {@code enqueueAndWait}; called on a storage thread,
 * so implementations must be quick and must not block.
 *
 * <!-- snippet: terminal-listener -->
 * <pre>{@code
 * Subscription s = storage.subscribe(queue, new TerminalListener() {
 *     public void onTerminal(String jobId, JobSnapshot snapshot) { waiters.complete(jobId, snapshot); }
 *     public void onResubscribed() { waiters.recheckAll(); } // notifications may have been missed
 * });
 * }</pre>
 */
public interface TerminalListener {
    /**
     * A job reached a terminal state.
     *
     * @param jobId    the job
     * @param snapshot its terminal record when the storage has it at hand, else {@code null}
     *                 (the listener then reads {@link Storage#status})
     */
    void onTerminal(String jobId, JobSnapshot snapshot);

    /**
     * The storage (re)subscribed after a connection loss: notifications may have been missed,
     * so waiters must re-check their jobs' status.
     */
    default void onResubscribed() {
    }
}
