package dev.jobqueue.micrometer;

import dev.jobqueue.JobState;
import dev.jobqueue.spi.Storage;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage's counts and paused flag for the gauges of one binding, read at most once per TTL:
 * a scrape reads every gauge (one per state and the paused one), and a registry may be scraped by
 * several collectors, yet the storage (on Redis, a script call) is asked once per TTL.
 */
final class CountsCache {
    private static final Logger LOG = LoggerFactory.getLogger(QueueMetrics.class);

    private final Storage storage;
    private final String queue;
    private final long ttlNanos;
    private final Clock clock;
    private Reading reading; // guarded by this
    private boolean failing; // guarded by this: log the first failure of a streak at WARN, the rest at DEBUG

    CountsCache(Storage storage, String queue, Duration ttl, Clock clock) {
        this.storage = storage;
        this.queue = queue;
        this.ttlNanos = ttl.toNanos();
        this.clock = clock;
    }

    /** The jobs in {@code state}, NaN when the last read failed. */
    double jobs(JobState state) {
        Map<JobState, Long> counts = current().counts;
        if (counts == null) {
            return Double.NaN;
        }
        Long n = counts.get(state);
        return n == null ? 0 : n;
    }

    /** 1 while paused, 0 otherwise, NaN when the storage could not tell. */
    double paused() {
        Boolean paused = current().paused;
        return paused == null ? Double.NaN : paused ? 1 : 0;
    }

    private synchronized Reading current() {
        long now = clock.monotonicTime();
        if (reading == null || now - reading.readAt >= ttlNanos) {
            reading = new Reading(now, readCounts(), readPaused());
        }
        return reading;
    }

    private Map<JobState, Long> readCounts() {
        try {
            Map<JobState, Long> counts = storage.counts(queue);
            failing = false;
            return counts;
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warn("jobqueue metrics: reading the counts of queue {} failed; gauges show NaN until a read succeeds",
                        queue, e);
            } else {
                LOG.debug("jobqueue metrics: reading the counts of queue {} failed again", queue, e);
            }
            failing = true;
            return null;
        }
    }

    private Boolean readPaused() {
        try {
            return storage.isPaused(queue);
        } catch (UnsupportedOperationException e) { // a storage without the operations SPI
            return null;
        } catch (RuntimeException e) {
            LOG.debug("jobqueue metrics: reading whether queue {} is paused failed", queue, e);
            return null;
        }
    }

    private static final class Reading {
        final long readAt;
        final Map<JobState, Long> counts;
        final Boolean paused;

        Reading(long readAt, Map<JobState, Long> counts, Boolean paused) {
            this.readAt = readAt;
            this.counts = counts;
            this.paused = paused;
        }
    }
}
