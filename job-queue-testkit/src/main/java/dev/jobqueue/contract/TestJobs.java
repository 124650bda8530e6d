package dev.jobqueue.contract;

import dev.jobqueue.spi.NewJob;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Builds {@link NewJob}s for storage tests with sensible defaults (priority 0, due now, 3 attempts,
 * 1 tolerated stall, 1 hour result TTL, notification on, no metadata; payload = the id's UTF-8 bytes).
 *
 * <!-- snippet: test-jobs -->
 * <pre>{@code
 * storage.enqueue(queue, TestJobs.job("a").priority(5).delay(Duration.ofSeconds(10)).build());
 * }</pre>
 */
public final class TestJobs {
    /**
     * Result TTL of a job unless {@link #resultTtl} is set.
     */
    public static final Duration DEFAULT_TTL = Duration.ofHours(1);

    private final String id;
    private byte[] payload;
    private int priority;
    private Duration delay = Duration.ZERO;
    private Instant runAt;
    private int maxAttempts = 3;
    private int maxStalls = 1;
    private Duration resultTtl = DEFAULT_TTL;
    private boolean notifyOnTerminal = true;
    private Map<String, String> metadata = Map.of();

    private TestJobs(String id) {
        this.id = id;
        this.payload = id.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Starts a job with payload = the id's UTF-8 bytes, priority 0, due now, 3 attempts,
     * 1 stall, {@link #DEFAULT_TTL} and terminal notification on.
     *
     * @param id the job's id
     * @return a new builder
     */
    public static TestJobs job(String id) {
        return new TestJobs(id);
    }

    /**
     * Sets the payload bytes.
     *
     * @param payload the bytes, stored as given
     * @return this builder
     */
    public TestJobs payload(byte[] payload) {
        this.payload = payload;
        return this;
    }

    /**
     * Sets the payload from text.
     *
     * @param payload the text, stored as UTF-8
     * @return this builder
     */
    public TestJobs payload(String payload) {
        return payload(payload.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sets the priority; higher is claimed first.
     *
     * @param priority the priority
     * @return this builder
     */
    public TestJobs priority(int priority) {
        this.priority = priority;
        return this;
    }

    /**
     * Sets the delay before the job is due.
     *
     * @param delay the delay; {@code runAt}, when set, wins over it
     * @return this builder
     */
    public TestJobs delay(Duration delay) {
        this.delay = delay;
        return this;
    }

    /**
     * Sets an absolute due time.
     *
     * @param runAt the due time, or {@code null} to use the delay
     * @return this builder
     */
    public TestJobs runAt(Instant runAt) {
        this.runAt = runAt;
        return this;
    }

    /**
     * Sets how many attempts the job gets.
     *
     * @param maxAttempts the attempts
     * @return this builder
     */
    public TestJobs maxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
        return this;
    }

    /**
     * Sets how many lease expiries the job survives.
     *
     * @param maxStalls the stalls
     * @return this builder
     */
    public TestJobs maxStalls(int maxStalls) {
        this.maxStalls = maxStalls;
        return this;
    }

    /**
     * Sets how long the terminal record is kept.
     *
     * @param resultTtl the TTL
     * @return this builder
     */
    public TestJobs resultTtl(Duration resultTtl) {
        this.resultTtl = resultTtl;
        return this;
    }

    /**
     * Sets whether terminal listeners hear of this job.
     *
     * @param notifyOnTerminal {@code false} for a job no caller waits for
     * @return this builder
     */
    public TestJobs notifyOnTerminal(boolean notifyOnTerminal) {
        this.notifyOnTerminal = notifyOnTerminal;
        return this;
    }

    /**
     * Sets the job's metadata.
     *
     * @param metadata the map, stored as given (the storage layer checks its bounds)
     * @return this builder
     */
    public TestJobs metadata(Map<String, String> metadata) {
        this.metadata = metadata;
        return this;
    }

    /**
     * The job as the storage SPI takes it.
     *
     * @return the new job
     */
    public NewJob build() {
        return new NewJob(id, payload, priority, delay, runAt, maxAttempts, maxStalls, resultTtl, notifyOnTerminal, metadata);
    }
}
