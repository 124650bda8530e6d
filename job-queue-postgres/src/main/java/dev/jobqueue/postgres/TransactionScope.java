package dev.jobqueue.postgres;

/**
 * While open, the {@link PostgresStorage} that made it runs the operations of the opening thread
 * (enqueue in all its forms, status, cancel and the other non-blocking operations; never a
 * claim) on the caller's {@link java.sql.Connection}, inside the caller's transaction, and never
 * commits or rolls back: the jobs exist if and only if the caller commits, and the wake-ups
 * ({@code NOTIFY}) are delivered by PostgreSQL at that commit. Close it on the thread that opened
 * it, before committing or after; closing twice is harmless.
 *
 * <!-- snippet: postgres-transaction-scope -->
 * <pre>{@code
 * try (Connection c = dataSource.getConnection()) {
 *     c.setAutoCommit(false);
 *     insertOrder(c, order);
 *     try (TransactionScope tx = storage.joinTransaction(c)) {
 *         queue.enqueue(order.id(), order);
 *     }
 *     c.commit();   // the order row and its job, or neither
 * }
 * }</pre>
 */
public interface TransactionScope extends AutoCloseable {
    /** Ends the binding; the storage uses its own connections again on this thread. */
    @Override
    void close();
}
