package dev.jobqueue.file;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link FileStorage}; immutable, built with {@link #builder()}.
 *
 * <!-- snippet: file-storage-options -->
 * <pre>{@code
 * FileStorageOptions options = FileStorageOptions.builder()
 *         .durability(Durability.FSYNC_EACH)
 *         .compactionThresholdBytes(64L << 20)
 *         .build();
 * FileStorage storage = FileStorage.open(Path.of("/var/lib/myapp/jobs"), options);
 * }</pre>
 */
public final class FileStorageOptions {
    private final Durability durability;
    private final Duration batchInterval;
    private final Clock clock;
    private final long compactionThresholdBytes;
    private final double compactionGrowthFactor;

    private FileStorageOptions(Builder b) {
        this.durability = b.durability;
        this.batchInterval = b.batchInterval;
        this.clock = b.clock;
        this.compactionThresholdBytes = b.compactionThresholdBytes;
        this.compactionGrowthFactor = b.compactionGrowthFactor;
    }

    public static FileStorageOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Durability durability() {
        return durability;
    }

    /** For {@link Durability#FSYNC_BATCHED}: the longest time a written record waits for its fsync. */
    public Duration batchInterval() {
        return batchInterval;
    }

    /** The storage's clock: delays, leases, TTLs and lock expiry are measured on it. */
    public Clock clock() {
        return clock;
    }

    /** Compaction starts once the journal is at least this large ... */
    public long compactionThresholdBytes() {
        return compactionThresholdBytes;
    }

    /** ... and at least this many times the size of the last snapshot. */
    public double compactionGrowthFactor() {
        return compactionGrowthFactor;
    }

    /** Builder of {@link FileStorageOptions}; every setter validates its argument. */
    public static final class Builder {
        private Durability durability = Durability.FSYNC_EACH;
        private Duration batchInterval = Duration.ofMillis(10);
        private Clock clock = Clock.systemUTC();
        private long compactionThresholdBytes = 16L << 20;
        private double compactionGrowthFactor = 2.0;

        private Builder() {
        }

        public Builder durability(Durability value) {
            this.durability = Objects.requireNonNull(value, "durability");
            return this;
        }

        public Builder batchInterval(Duration value) {
            Objects.requireNonNull(value, "batchInterval");
            if (value.isNegative() || value.isZero() || value.compareTo(Duration.ofSeconds(10)) > 0) {
                throw new IllegalArgumentException("batchInterval must be > 0 and <= 10s, was " + value);
            }
            this.batchInterval = value;
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        public Builder compactionThresholdBytes(long value) {
            if (value < 4096) {
                throw new IllegalArgumentException("compactionThresholdBytes must be >= 4096, was " + value);
            }
            this.compactionThresholdBytes = value;
            return this;
        }

        public Builder compactionGrowthFactor(double value) {
            if (!(value >= 1.0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException("compactionGrowthFactor must be a finite number >= 1, was " + value);
            }
            this.compactionGrowthFactor = value;
            return this;
        }

        public FileStorageOptions build() {
            return new FileStorageOptions(this);
        }
    }
}
