package dev.jobqueue.contract;

import dev.jobqueue.spi.NewJob;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * Builds {@link NewJob}s for storage tests with sensible defaults (priority 0, due now, 3 attempts,
 * 1 tolerated stall, 1 hour result TTL, notification on; payload = the id's UTF-8 bytes).
 *
 * <!-- snippet: test-jobs -->
 * <pre>{@code
 * storage.enqueue(queue, TestJobs.job("a").priority(5).delay(Duration.ofSeconds(10)).build());
 * }</pre>
 */
public final class TestJobs {
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

    private TestJobs(String id) {
        this.id = id;
        this.payload = id.getBytes(StandardCharsets.UTF_8);
    }

    public static TestJobs job(String id) {
        return new TestJobs(id);
    }

    public TestJobs payload(byte[] payload) {
        this.payload = payload;
        return this;
    }

    public TestJobs payload(String payload) {
        return payload(payload.getBytes(StandardCharsets.UTF_8));
    }

    public TestJobs priority(int priority) {
        this.priority = priority;
        return this;
    }

    public TestJobs delay(Duration delay) {
        this.delay = delay;
        return this;
    }

    public TestJobs runAt(Instant runAt) {
        this.runAt = runAt;
        return this;
    }

    public TestJobs maxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
        return this;
    }

    public TestJobs maxStalls(int maxStalls) {
        this.maxStalls = maxStalls;
        return this;
    }

    public TestJobs resultTtl(Duration resultTtl) {
        this.resultTtl = resultTtl;
        return this;
    }

    public TestJobs notifyOnTerminal(boolean notifyOnTerminal) {
        this.notifyOnTerminal = notifyOnTerminal;
        return this;
    }

    public NewJob build() {
        return new NewJob(id, payload, priority, delay, runAt, maxAttempts, maxStalls, resultTtl, notifyOnTerminal);
    }
}
