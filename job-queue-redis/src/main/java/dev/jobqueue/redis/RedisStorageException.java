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
    public RedisStorageException(String message, Throwable cause) {
        super(message, cause);
    }

    public RedisStorageException(String message) {
        super(message);
    }
}
