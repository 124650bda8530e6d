package dev.jobqueue.spi;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bounds and checks of a job's metadata: a small map of strings stored with the job (a
 * trace context, a tenant, the producer's log context), read back by its handler and by
 * status and listing calls.
 *
 * <p>The bounds keep a job record's size predictable in every storage (one Redis hash field, one
 * journal record, one database column): at most {@value #MAX_ENTRIES} entries, and at most
 * {@value #MAX_BYTES} bytes for all keys and values together as UTF-8. Keys are non-empty; keys
 * and values are well-formed UTF-16 (see {@link Storage}), so every storage can encode them.
 *
 * <!-- snippet: job-metadata -->
 * <pre>{@code
 * Map<String, String> metadata = JobMetadata.requireValid(Map.of("tenant", "acme"), "metadata");
 * }</pre>
 */
public final class JobMetadata {
    /** The most entries a job's metadata may have. */
    public static final int MAX_ENTRIES = 64;

    /** The most bytes all keys and values of a job's metadata may take together, as UTF-8. */
    public static final int MAX_BYTES = 8192;

    private JobMetadata() {
    }

    /**
     * Checks {@code metadata} against the bounds above.
     *
     * @param metadata the map to check
     * @param argument what the caller calls it, for the message
     * @return {@code metadata}
     * @throws IllegalArgumentException naming {@code argument} when the map is null, has a null or
     *         empty key, a null value, an unpaired surrogate, more than {@link #MAX_ENTRIES} entries
     *         or more than {@link #MAX_BYTES} bytes
     */
    public static Map<String, String> requireValid(Map<String, String> metadata, String argument) {
        if (metadata == null) {
            throw new IllegalArgumentException(argument + " must not be null");
        }
        if (metadata.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException(argument + " must have at most " + MAX_ENTRIES
                    + " entries, got " + metadata.size());
        }
        long bytes = 0;
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            String key = e.getKey();
            if (key == null || key.isEmpty()) {
                throw new IllegalArgumentException(argument + " keys must not be null or empty");
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException(argument + " value of key '" + key + "' must not be null");
            }
            StorageArguments.requireWellFormed(key, argument + " key");
            StorageArguments.requireWellFormed(e.getValue(), argument + " value of key '" + key + "'");
            bytes += key.getBytes(StandardCharsets.UTF_8).length + e.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        if (bytes > MAX_BYTES) {
            throw new IllegalArgumentException(argument + " must take at most " + MAX_BYTES
                    + " bytes as UTF-8 (keys and values together), got " + bytes);
        }
        return metadata;
    }

    /**
     * An unmodifiable copy that keeps the iteration order; the empty map for an empty one.
     *
     * @param metadata the map to copy; no null keys or values
     * @param argument what the caller calls it, for the message
     * @return the copy
     * @throws IllegalArgumentException naming {@code argument} when the map, a key or a value is null
     */
    public static Map<String, String> copyOf(Map<String, String> metadata, String argument) {
        if (metadata == null) {
            throw new IllegalArgumentException(argument + " must not be null");
        }
        if (metadata.isEmpty()) {
            return Map.of();
        }
        Map<String, String> copy = new LinkedHashMap<>(metadata.size() * 2);
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException(argument + " must not contain null keys or values");
            }
            copy.put(e.getKey(), e.getValue());
        }
        return Collections.unmodifiableMap(copy);
    }
}
