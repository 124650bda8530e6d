package dev.jobqueue.snippets;

import dev.jobqueue.Queue;
import dev.jobqueue.postgres.PostgresStorage;
import dev.jobqueue.postgres.PostgresStorageException;
import dev.jobqueue.postgres.TransactionScope;
import dev.jobqueue.snippets.Shop.Order;
import dev.jobqueue.snippets.Shop.Receipt;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;

/** The examples in the Javadoc of job-queue-postgres and in the README's PostgreSQL section: compiled, never run. */
@SuppressWarnings("unused")
abstract class PostgresSnippets {
    DataSource dataSource;
    DataSource appDataSource;
    PostgresStorage storage;
    Queue<Order, Receipt> queue;
    Order order;
    Logger log;
    String secret;

    abstract void insertOrder(Connection c, Order order) throws SQLException;

    void postgresStorage() {
        // snippet: postgres-storage
        PostgresStorage storage = PostgresStorage.builder()
                .jdbcUrl("jdbc:postgresql://127.0.0.1:5432/app").user("app").password(secret)
                .schema("jobqueue")
                .build();
        Queue<Order, Receipt> queue = Queue.builder(storage, Order.class, Receipt.class).name("orders").build();
        // end-snippet
    }

    void postgresStorageBuilder() {
        // snippet: postgres-storage-builder
        PostgresStorage storage = PostgresStorage.builder().dataSource(appDataSource).schema("jobs").tablePrefix("").build();
        // end-snippet
    }

    void postgresStorageException() {
        // snippet: postgres-storage-exception
        try {
            storage.status("emails", "welcome-42");
        } catch (PostgresStorageException e) {
            log.error("job store unavailable: {}", e.getMessage());
        }
        // end-snippet
    }

    // The scope is only closed, never referenced: it binds the connection to this thread meanwhile.
    @SuppressWarnings("try")
    void transactionScope() throws SQLException {
        // snippet: postgres-transaction-scope
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            insertOrder(c, order);
            try (TransactionScope tx = storage.joinTransaction(c)) {
                queue.enqueue(order.id(), order);
            }
            c.commit();   // the order row and its job, or neither
        }
        // end-snippet
    }

    // The scope is only closed, never referenced: it binds the connection to this thread meanwhile.
    @SuppressWarnings("try")
    void readmeTransactionalEnqueue() throws SQLException {
        // snippet: readme-postgres-transactional-enqueue
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                insertOrder(c, order);                          // your own statements
                try (TransactionScope tx = storage.joinTransaction(c)) {
                    queue.enqueue(order.id(), order);           // same transaction, not committed yet
                }
                c.commit();                                     // order row + job + wake-up, together
            } catch (SQLException | RuntimeException e) {
                c.rollback();                                   // neither the row nor the job
                throw e;
            }
        }
        // end-snippet
    }
}
