package dev.jobqueue.redis;

/**
 * A Redis operation of {@link RedisStorage} failed for good: the server stayed unreachable past
 * the retry window, rejected the credentials, or holds a foreign value at one of our keys.
 *
 * <!-- snippet: redis-storage-exception -->
 * <pre>{@code
 * try {
 *     storage.status("emails", "welcome-42");
 * } catch (RedisStorageException e) {
 *     log.error("job store unavailable: {}", e.getMessage());
 * }
 * }</pre>
 */
public class RedisStorageException extends RuntimeException {
    /**
     * Makes an exception for a failure with an underlying cause.
     *
     * @param message what failed and, where known, what to check
     * @param cause the client exception that ended the operation
     */
    public RedisStorageException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Makes an exception for a failure that no underlying exception caused.
     *
     * @param message what failed and, where known, what to check
     */
    public RedisStorageException(String message) {
        super(message);
    }
}
