package dev.jobqueue.postgres;

/**
 * A database operation of {@link PostgresStorage} failed: the server was unreachable, rejected the
 * credentials, or the schema could not be created or migrated. The message never contains
 * passwords.
 *
 * <!-- snippet: postgres-storage-exception -->
 * <pre>{@code
 * try {
 *     storage.status("emails", "welcome-42");
 * } catch (PostgresStorageException e) {
 *     log.error("job store unavailable: {}", e.getMessage());
 * }
 * }</pre>
 */
public class PostgresStorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Makes an exception for a failure with an underlying cause.
     *
     * @param message what failed and, where known, what to check
     * @param cause the driver exception that ended the operation
     */
    public PostgresStorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
