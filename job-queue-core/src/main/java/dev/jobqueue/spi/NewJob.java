package dev.jobqueue.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A job as handed to {@link Storage#enqueue}: already serialized; its fields are checked by
 * {@link CheckedStorage} before a storage sees it. A null field throws {@link IllegalArgumentException}.
 *
 * <!-- snippet: new-job -->
 * <pre>{@code
 * NewJob job = new NewJob("order-42", json, 0, Duration.ZERO, null, 3, 3, Duration.ofHours(1), false);
 * EnqueueOutcome outcome = storage.enqueue("orders", job); // created, or the existing job's snapshot
 * }</pre>
 *
 * @param id          the job id and deduplication key: non-empty, at most
 *                    {@link CheckedStorage#MAX_NAME_LENGTH} UTF-16 chars, well-formed UTF-16 (see {@link Storage})
 * @param payload     serialized payload
 * @param priority    higher is claimed first; FIFO within one priority
 * @param delay       run no earlier than this long after the storage's now (ZERO = at once);
 *                    ignored when {@code runAt} is set
 * @param runAt       absolute earliest run time, or {@code null}
 * @param maxAttempts attempts allowed (>= 1); the worker decides retry vs fail with it
 * @param maxStalls   lease expiries tolerated; the next one fails the job "stalled too often"
 * @param resultTtl   how long the COMPLETED/FAILED record is kept (> 0)
 * @param notifyOnTerminal true when a caller waits for the outcome ({@code enqueueAndWait}); storages that
 *                    pay per notification (Redis PUBLISH) may skip notifying jobs nobody waits for.
 *                    A duplicate enqueue with notify=true must turn notification on for the existing job.
 * @param metadata    small string map stored with the job and handed back unchanged by {@code claim},
 *                    {@code status} and {@code listJobs} (never null; bounded by
 *                    {@link JobMetadata#MAX_ENTRIES} and {@link JobMetadata#MAX_BYTES})
 */
public record NewJob(String id, byte[] payload, int priority, Duration delay, Instant runAt,
                     int maxAttempts, int maxStalls, Duration resultTtl, boolean notifyOnTerminal,
                     Map<String, String> metadata) {
    /**
     * Checks that id, payload, delay and resultTtl are present; the values are checked by the storage layer.
     *
     * @param id see {@link #id()}
     * @param payload see {@link #payload()}
     * @param priority see {@link #priority()}
     * @param delay see {@link #delay()}
     * @param runAt see {@link #runAt()}
     * @param maxAttempts see {@link #maxAttempts()}
     * @param maxStalls see {@link #maxStalls()}
     * @param resultTtl see {@link #resultTtl()}
     * @param notifyOnTerminal see {@link #notifyOnTerminal()}
     * @param metadata see {@link #metadata()}; copied (unmodifiable, iteration order kept)
     */
    public NewJob {
        StorageArguments.requireNonNull(id, "id");
        StorageArguments.requireNonNull(payload, "payload");
        StorageArguments.requireNonNull(delay, "delay");
        StorageArguments.requireNonNull(resultTtl, "resultTtl");
        metadata = JobMetadata.copyOf(metadata, "metadata");
    }

    /**
     * A job without metadata.
     *
     * @param id see {@link #id()}
     * @param payload see {@link #payload()}
     * @param priority see {@link #priority()}
     * @param delay see {@link #delay()}
     * @param runAt see {@link #runAt()}
     * @param maxAttempts see {@link #maxAttempts()}
     * @param maxStalls see {@link #maxStalls()}
     * @param resultTtl see {@link #resultTtl()}
     * @param notifyOnTerminal see {@link #notifyOnTerminal()}
     */
    public NewJob(String id, byte[] payload, int priority, Duration delay, Instant runAt,
                  int maxAttempts, int maxStalls, Duration resultTtl, boolean notifyOnTerminal) {
        this(id, payload, priority, delay, runAt, maxAttempts, maxStalls, resultTtl, notifyOnTerminal, Map.of());
    }
}
