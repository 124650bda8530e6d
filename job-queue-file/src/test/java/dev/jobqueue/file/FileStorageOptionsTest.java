package dev.jobqueue.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** FileStorageOptions follows the library's builder idiom: validating setters, immutable product, newBuilder(). */
class FileStorageOptionsTest {

    @Test
    void badValuesAreRejectedAtOnceNamingTheOption() {
        assertOption("batchInterval", () -> FileStorageOptions.builder().batchInterval(Duration.ZERO));
        assertOption("batchInterval", () -> FileStorageOptions.builder().batchInterval(Duration.ofSeconds(11)));
        assertOption("compactionThresholdBytes", () -> FileStorageOptions.builder().compactionThresholdBytes(10));
        assertOption("compactionGrowthFactor", () -> FileStorageOptions.builder().compactionGrowthFactor(0.5));
        assertOption("compactionGrowthFactor", () -> FileStorageOptions.builder().compactionGrowthFactor(Double.NaN));
        assertOption("compactionGrowthFactor",
                () -> FileStorageOptions.builder().compactionGrowthFactor(Double.POSITIVE_INFINITY));
    }

    @Test
    void nullIsAnIllegalArgumentNamingTheOption() {
        assertOption("durability", () -> FileStorageOptions.builder().durability(null));
        assertOption("batchInterval", () -> FileStorageOptions.builder().batchInterval(null));
        assertOption("clock", () -> FileStorageOptions.builder().clock(null));
    }

    @Test
    void theProductIsNotChangedByLaterBuilderCalls() {
        FileStorageOptions.Builder builder = FileStorageOptions.builder().durability(Durability.FSYNC_BATCHED);
        FileStorageOptions built = builder.build();
        builder.durability(Durability.FSYNC_EACH).compactionThresholdBytes(1L << 30);
        assertEquals(Durability.FSYNC_BATCHED, built.durability());
        assertEquals(16L << 20, built.compactionThresholdBytes());
    }

    @Test
    void newBuilderDerivesAChangedCopyAndLeavesTheOriginal() {
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        FileStorageOptions original = FileStorageOptions.builder().durability(Durability.FSYNC_BATCHED)
                .batchInterval(Duration.ofMillis(20)).clock(clock).compactionThresholdBytes(1L << 20)
                .compactionGrowthFactor(3).build();
        FileStorageOptions copy = original.newBuilder().build();
        assertEquals(original, copy);
        assertEquals(original.hashCode(), copy.hashCode());
        FileStorageOptions changed = original.newBuilder().compactionGrowthFactor(4).build();
        assertNotEquals(original, changed);
        assertEquals(3.0, original.compactionGrowthFactor());
        assertEquals(4.0, changed.compactionGrowthFactor());
        assertEquals(Durability.FSYNC_BATCHED, changed.durability());
        assertEquals(Duration.ofMillis(20), changed.batchInterval());
        assertEquals(clock, changed.clock());
        assertEquals(1L << 20, changed.compactionThresholdBytes());
    }

    @Test
    void defaultsAreWhatTheReadmeSays() {
        FileStorageOptions d = FileStorageOptions.defaults();
        assertEquals(Durability.FSYNC_EACH, d.durability());
        assertEquals(Duration.ofMillis(10), d.batchInterval());
        assertEquals(16L << 20, d.compactionThresholdBytes());
        assertEquals(2.0, d.compactionGrowthFactor());
        assertEquals(d, FileStorageOptions.builder().build());
    }

    private static void assertOption(String name, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(name + " "), e.getMessage());
    }
}
