package dev.jobqueue.contract;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that only moves when a test moves it: delays, leases and TTLs are tested without sleeping.
 * Thread-safe; starts at {@link #START} (2026-01-01T00:00:00Z) in UTC.
 *
 * <!-- snippet: manual-clock -->
 * <pre>{@code
 * ManualClock clock = new ManualClock();
 * Storage storage = new MemoryStorage(clock);
 * storage.enqueue("q", job);            // delayed by 10 s
 * clock.advance(Duration.ofSeconds(10)); // now it is due
 * }</pre>
 */
public final class ManualClock extends Clock {
    /** Where every ManualClock starts. */
    public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final AtomicReference<Instant> now;

    /** A clock standing at {@link #START}. */
    public ManualClock() {
        this(START);
    }

    /**
     * A clock standing at {@code start}.
     *
     * @param start the initial time; not {@code null}
     */
    public ManualClock(Instant start) {
        this.now = new AtomicReference<>(Objects.requireNonNull(start, "start"));
    }

    /**
     * Moves the clock forward (or backward, for a negative amount) and returns the new time.
     *
     * @param amount how far to move; not {@code null}
     * @return the time after the move
     */
    public Instant advance(Duration amount) {
        Objects.requireNonNull(amount, "amount");
        return now.updateAndGet(t -> t.plus(amount));
    }

    /**
     * Sets the clock to {@code instant}.
     *
     * @param instant the new time; not {@code null}
     */
    public void set(Instant instant) {
        now.set(Objects.requireNonNull(instant, "instant"));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public long millis() {
        return now.get().toEpochMilli();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** The same clock (time is shared); ManualClock always reports UTC. */
    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public String toString() {
        return "ManualClock[" + now.get() + "]";
    }
}
