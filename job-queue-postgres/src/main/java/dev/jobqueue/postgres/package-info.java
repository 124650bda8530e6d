/** PostgresStorage: the storage for services that already run PostgreSQL, with transactional enqueue. */
package dev.jobqueue.postgres;
