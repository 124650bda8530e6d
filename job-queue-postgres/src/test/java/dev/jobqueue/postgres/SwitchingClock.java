package dev.jobqueue.postgres;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/**
 * The clock of a storage that several tests (or property tries) share one after another: it reads
 * whichever clock the current test {@linkplain #use uses} (its ManualClock), so a storage built
 * once follows each test's own time. Tests on a shared storage run one at a time.
 */
final class SwitchingClock extends Clock {
    private volatile Clock current;

    SwitchingClock(Clock initial) {
        this.current = Objects.requireNonNull(initial, "initial");
    }

    /** From now on, the storage's "now" is {@code clock}'s. */
    void use(Clock clock) {
        this.current = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Instant instant() {
        return current.instant();
    }

    @Override
    public long millis() {
        return current.millis();
    }

    @Override
    public ZoneId getZone() {
        return current.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return current.withZone(zone);
    }
}
