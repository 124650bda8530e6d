package dev.jobqueue.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.contract.ManualClock;
import dev.jobqueue.memory.MemoryStorage;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.Storage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rates from consecutive samples, counter resets, the ring buffer's bound, and vanished queues. */
class ThroughputSamplerTest {
    @Test
    void ratesPerMinuteAndACounterResetCountsFromZero() {
        assertEquals(60.0, ThroughputSampler.perMinute(10, 20, 10_000));
        assertEquals(30.0, ThroughputSampler.perMinute(100, 5, 10_000), "went down: reset, 5 since");
        assertEquals(0.0, ThroughputSampler.perMinute(7, 7, 10_000));
    }

    @Test
    void keepsTheLastHourPerQueueAndForgetsQueuesThatAreGone() throws Exception {
        ManualClock clock = new ManualClock();
        Storage storage = new MemoryStorage(clock);
        ThroughputSampler sampler = new ThroughputSampler(storage, clock, Duration.ofSeconds(10), Duration.ofMinutes(1));
        for (int i = 0; i < 20; i++) {
            storage.enqueue("q", TestQueues.job("j" + i, Duration.ZERO, 1));
            ClaimedJob c = storage.claim("q", "w", 1, Duration.ofMinutes(1), Duration.ZERO).get(0);
            storage.complete("q", new LeaseRef(c.id(), c.fencingToken()), new byte[] {1}, Duration.ofSeconds(30));
            sampler.sample();
            clock.advance(Duration.ofSeconds(10));
        }
        List<ThroughputSampler.Rate> rates = sampler.rates().get("q");
        assertEquals(6, rates.size(), "a minute at 10 s: 7 samples, 6 rates");
        rates.forEach(r -> assertEquals(6.0, r.completedPerMinute(), 0.001));
        assertEquals(20, sampler.latest("q").completed());
        clock.advance(Duration.ofMinutes(5)); // every record expired: the queue is gone
        sampler.sample();
        assertTrue(sampler.rates().isEmpty(), sampler.rates().toString());
    }
}
