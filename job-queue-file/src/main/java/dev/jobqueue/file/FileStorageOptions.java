package dev.jobqueue.file;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link FileStorage}. Immutable; made with a {@link Builder} like every builder of
 * this library: setters check their argument at once (an {@link IllegalArgumentException} naming
 * the option, also for {@code null}) and return the builder, {@link Builder#build()} makes an
 * immutable product that later builder calls do not change, and {@link #newBuilder()} derives a
 * changed copy.
 *
 * <!-- snippet: file-storage-options -->
 * <pre>{@code
 * FileStorageOptions options = FileStorageOptions.builder()
 *         .durability(Durability.FSYNC_EACH)
 *         .compactionThresholdBytes(64L << 20)
 *         .build();
 * FileStorage storage = FileStorage.open(Path.of("/var/lib/myapp/jobs"), options);
 * FileStorageOptions batched = options.newBuilder().durability(Durability.FSYNC_BATCHED).build();
 * }</pre>
 */
public final class FileStorageOptions {
    private static final Duration MAX_BATCH_INTERVAL = Duration.ofSeconds(10);
    private static final long MIN_COMPACTION_THRESHOLD = 4096;
    private static final FileStorageOptions DEFAULTS = new FileStorageOptions(new Builder());

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

    /**
     * The default options: {@link Durability#FSYNC_EACH}, 10 ms batch interval, UTC system clock,
     * compaction at 16 MiB and 2x.
     *
     * @return the shared default options (immutable)
     */
    public static FileStorageOptions defaults() {
        return DEFAULTS;
    }

    /**
     * A builder holding the defaults.
     *
     * @return a new builder, independent of every other
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding these options, to derive changed options from.
     *
     * @return a new builder; changing it does not change these options
     */
    public Builder newBuilder() {
        Builder b = new Builder();
        b.durability = durability;
        b.batchInterval = batchInterval;
        b.clock = clock;
        b.compactionThresholdBytes = compactionThresholdBytes;
        b.compactionGrowthFactor = compactionGrowthFactor;
        return b;
    }

    /**
     * When the journal is fsynced.
     *
     * @return the fsync policy
     */
    public Durability durability() {
        return durability;
    }

    /**
     * For {@link Durability#FSYNC_BATCHED}: the longest time a written record waits for its fsync.
     *
     * @return the batch interval; unused by the other durability modes
     */
    public Duration batchInterval() {
        return batchInterval;
    }

    /**
     * The storage's clock: delays, leases, TTLs and lock expiry are measured on it.
     *
     * @return the clock
     */
    public Clock clock() {
        return clock;
    }

    /**
     * Compaction starts once the journal is at least this large ...
     *
     * @return the journal size threshold, in bytes
     */
    public long compactionThresholdBytes() {
        return compactionThresholdBytes;
    }

    /**
     * ... and at least this many times the size of the last snapshot.
     *
     * @return the growth factor, at least 1
     */
    public double compactionGrowthFactor() {
        return compactionGrowthFactor;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileStorageOptions f && durability == f.durability
                && batchInterval.equals(f.batchInterval) && clock.equals(f.clock)
                && compactionThresholdBytes == f.compactionThresholdBytes
                && Double.compare(compactionGrowthFactor, f.compactionGrowthFactor) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(durability, batchInterval, clock, compactionThresholdBytes, compactionGrowthFactor);
    }

    @Override
    public String toString() {
        return "FileStorageOptions{durability=" + durability + ", batchInterval=" + batchInterval + ", clock=" + clock
                + ", compactionThresholdBytes=" + compactionThresholdBytes
                + ", compactionGrowthFactor=" + compactionGrowthFactor + "}";
    }

    /**
     * Builds {@link FileStorageOptions}. Each setter checks its argument at once and throws an
     * {@link IllegalArgumentException} naming the option; not thread-safe.
     */
    public static final class Builder {
        private Durability durability = Durability.FSYNC_EACH;
        private Duration batchInterval = Duration.ofMillis(10);
        private Clock clock = Clock.systemUTC();
        private long compactionThresholdBytes = 16L << 20;
        private double compactionGrowthFactor = 2.0;

        private Builder() {
        }

        /**
         * When the journal is fsynced; default {@link Durability#FSYNC_EACH}.
         *
         * @param value the fsync policy; not {@code null}
         * @return this builder
         */
        public Builder durability(Durability value) {
            check(value != null, "durability must not be null");
            this.durability = value;
            return this;
        }

        /**
         * For {@link Durability#FSYNC_BATCHED}: how long a written record may wait for its fsync;
         * default 10 ms.
         *
         * @param value the batch interval; &gt; 0 and &lt;= 10 s
         * @return this builder
         */
        public Builder batchInterval(Duration value) {
            check(value != null && value.compareTo(Duration.ZERO) > 0 && value.compareTo(MAX_BATCH_INTERVAL) <= 0,
                    "batchInterval must be > 0 and <= 10s, got " + value);
            this.batchInterval = value;
            return this;
        }

        /**
         * The clock every process sharing the directory uses; default the UTC system clock.
         *
         * @param value the clock delays, leases, TTLs and lock expiry are measured on; not {@code null}
         * @return this builder
         */
        public Builder clock(Clock value) {
            check(value != null, "clock must not be null");
            this.clock = value;
            return this;
        }

        /**
         * Journal size from which compaction may start; default 16 MiB.
         *
         * @param value the threshold in bytes; &gt;= 4096
         * @return this builder
         */
        public Builder compactionThresholdBytes(long value) {
            check(value >= MIN_COMPACTION_THRESHOLD, "compactionThresholdBytes must be >= 4096, got " + value);
            this.compactionThresholdBytes = value;
            return this;
        }

        /**
         * How many times the size of the last snapshot the journal must have grown before
         * compaction; default 2.
         *
         * @param value the growth factor; finite and &gt;= 1
         * @return this builder
         */
        public Builder compactionGrowthFactor(double value) {
            check(value >= 1.0 && !Double.isInfinite(value),
                    "compactionGrowthFactor must be a finite number >= 1, got " + value);
            this.compactionGrowthFactor = value;
            return this;
        }

        /**
         * The options set so far; the builder may be reused.
         *
         * @return new immutable options, unaffected by later calls on this builder
         */
        public FileStorageOptions build() {
            return new FileStorageOptions(this);
        }

        private static void check(boolean valid, String message) {
            if (!valid) {
                throw new IllegalArgumentException(message);
            }
        }
    }
}
