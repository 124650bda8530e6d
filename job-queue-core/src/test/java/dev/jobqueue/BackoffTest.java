package dev.jobqueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void exponentialGrowsByTheFactorUpToTheCap() {
        Backoff b = Backoff.exponential(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(10), 0.0);
        assertEquals(Duration.ofSeconds(1), b.delayFor(1));
        assertEquals(Duration.ofSeconds(2), b.delayFor(2));
        assertEquals(Duration.ofSeconds(8), b.delayFor(4));
        assertEquals(Duration.ofSeconds(10), b.delayFor(5));
        assertEquals(Duration.ofSeconds(10), b.delayFor(10_000), "no overflow for huge attempts");
    }

    @Test
    void jitterOnlyShortensAndStaysWithinItsFraction() {
        Backoff b = Backoff.exponential(Duration.ofSeconds(10), 1.0, Duration.ofSeconds(10), 0.25);
        boolean varied = false;
        Duration first = b.delayFor(1);
        for (int i = 0; i < 200; i++) {
            Duration d = b.delayFor(1);
            assertTrue(d.compareTo(Duration.ofMillis(7500)) >= 0 && d.compareTo(Duration.ofSeconds(10)) <= 0, d.toString());
            varied |= !d.equals(first);
        }
        assertTrue(varied, "jitter varies the delay");
    }

    @Test
    void fixedAndNone() {
        assertEquals(Duration.ofMillis(300), Backoff.fixed(Duration.ofMillis(300)).delayFor(7));
        assertEquals(Duration.ZERO, Backoff.none().delayFor(3));
    }

    @Test
    void theDefaultIsOneSecondDoublingCappedAtFiveMinutesWithJitter() {
        Backoff d = Backoff.defaultBackoff();
        assertEquals(Duration.ofSeconds(1), d.base());
        assertEquals(2.0, d.factor());
        assertEquals(Duration.ofMinutes(5), d.max());
        assertTrue(d.jitter() > 0);
        assertEquals(Duration.ofSeconds(4), d.maxDelayFor(3));
    }

    @Test
    void invalidValuesAreRejectedNamingTheOption() {
        assertMessage("base", () -> Backoff.exponential(Duration.ofSeconds(-1), 2, Duration.ofSeconds(1), 0));
        assertMessage("factor", () -> Backoff.exponential(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(1), 0));
        assertMessage("max", () -> Backoff.exponential(Duration.ofSeconds(2), 2, Duration.ofSeconds(1), 0));
        assertMessage("jitter", () -> Backoff.exponential(Duration.ofSeconds(1), 2, Duration.ofSeconds(1), 1.5));
        assertMessage("delay", () -> Backoff.fixed(null));
        assertMessage("attempt", () -> Backoff.none().delayFor(0));
    }

    @Test
    void valueEquality() {
        assertEquals(Backoff.fixed(Duration.ofSeconds(1)), Backoff.fixed(Duration.ofSeconds(1)));
        assertEquals(Backoff.fixed(Duration.ofSeconds(1)).hashCode(), Backoff.fixed(Duration.ofSeconds(1)).hashCode());
    }

    static void assertMessage(String fragment, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' should name " + fragment);
    }
}
