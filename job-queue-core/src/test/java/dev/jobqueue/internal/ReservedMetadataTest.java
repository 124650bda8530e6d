package dev.jobqueue.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.Backoff;
import dev.jobqueue.NonRetryableException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The compact forms of per-job timeout and backoff, the fallback for bad values, and the retry policy. */
class ReservedMetadataTest {
    private static final class Subtype extends IllegalStateException {
        private static final long serialVersionUID = 1L;
    }

    private static final Logger LOG = LoggerFactory.getLogger(ReservedMetadataTest.class);

    @Property(tries = 300)
    void everyBackoffSurvivesItsCompactForm(@ForAll @LongRange(min = 0, max = 3_153_600_000_000_000L) long baseNanos,
                                            @ForAll @DoubleRange(min = 1.0, max = 1e6) double factor,
                                            @ForAll @LongRange(min = 0, max = 1_000_000_000_000L) long extraNanos,
                                            @ForAll @DoubleRange(min = 0.0, max = 1.0) double jitter) {
        Backoff b = Backoff.exponential(Duration.ofNanos(baseNanos), factor,
                Duration.ofNanos(baseNanos).plusNanos(extraNanos), jitter);
        assertEquals(b, ReservedMetadata.decodeBackoff(ReservedMetadata.encodeBackoff(b)));
    }

    @Test
    void theSharedBackoffsRoundTrip() {
        for (Backoff b : List.of(Backoff.none(), Backoff.defaultBackoff(), Backoff.fixed(Duration.ofSeconds(7)))) {
            assertEquals(b, ReservedMetadata.decodeBackoff(ReservedMetadata.encodeBackoff(b)));
        }
        assertEquals("PT1S,2.0,PT5M,0.2", ReservedMetadata.encodeBackoff(Backoff.defaultBackoff()));
    }

    @Test
    void timeoutsRoundTripAndBadOnesAreRejected() {
        Duration d = Duration.ofMillis(1500);
        assertEquals(d, ReservedMetadata.decodeTimeout(ReservedMetadata.encodeTimeout(d)));
        assertThrows(IllegalArgumentException.class, () -> ReservedMetadata.decodeTimeout("PT0S"));
        assertThrows(IllegalArgumentException.class, () -> ReservedMetadata.decodeTimeout("-PT1S"));
        assertThrows(IllegalArgumentException.class, () -> ReservedMetadata.decodeTimeout("soon"));
        assertThrows(IllegalArgumentException.class, () -> ReservedMetadata.decodeBackoff("PT1S,2.0,PT5M"));
        assertThrows(IllegalArgumentException.class, () -> ReservedMetadata.decodeBackoff("PT1S,x,PT5M,0.1"));
        assertThrows(IllegalArgumentException.class, () -> ReservedMetadata.decodeBackoff("PT5M,2.0,PT1S,0.1"));
        assertThrows(IllegalArgumentException.class, () -> ReservedMetadata.decodeBackoff("PT1S,2.0,PT5M,1.5"));
    }

    @Test
    void undecodableValuesGiveTheQueuesDefaults() {
        Backoff queues = Backoff.fixed(Duration.ofSeconds(3));
        Map<String, String> bad = Map.of(ReservedMetadata.BACKOFF, "garbage", ReservedMetadata.TIMEOUT, "PT-5S");
        assertSame(queues, ReservedMetadata.backoffOf(bad, queues, "j", LOG));
        assertEquals(Duration.ofSeconds(9), ReservedMetadata.timeoutOf(bad, Duration.ofSeconds(9), "j", LOG));
        assertNull(ReservedMetadata.timeoutOf(bad, null, "j", LOG));
        assertNull(ReservedMetadata.timeoutOf(Map.of(), null, "j", LOG));
        assertEquals(Duration.ofSeconds(2),
                ReservedMetadata.timeoutOf(Map.of(ReservedMetadata.TIMEOUT, "PT2S"), Duration.ofSeconds(9), "j", LOG));
    }

    @Test
    void retryPolicy() {
        RetryPolicy all = new RetryPolicy(null, List.of());
        assertTrue(all.retryable(new RuntimeException()));
        assertFalse(all.retryable(new NonRetryableException(null, "no")));
        RetryPolicy typed = new RetryPolicy(null, List.of(IllegalStateException.class));
        assertFalse(typed.retryable(new Subtype()), "subtypes too");
        assertTrue(typed.retryable(new IllegalArgumentException()));
        RetryPolicy predicate = new RetryPolicy(t -> t instanceof java.io.IOException, List.of());
        assertTrue(predicate.retryable(new java.io.IOException()));
        assertFalse(predicate.retryable(new RuntimeException()));
    }
}
