package dev.jobqueue.dashboard;

import dev.jobqueue.spi.FinishedTotals;
import dev.jobqueue.spi.Storage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples every queue's {@link Storage#finishedTotals} at a fixed interval into an in-memory ring
 * buffer per queue (the last {@code history}), so the overview's charts cost no storage call: one
 * {@code queueNames} plus one {@code finishedTotals} per queue per interval, whatever the number of
 * page loads. Rates are differences of consecutive samples; a counter that went down (the
 * storage's data was reset, or another storage answers now) counts from zero again instead of
 * giving a negative rate.
 */
final class ThroughputSampler {
    private static final Logger LOG = LoggerFactory.getLogger(ThroughputSampler.class);

    /** One sample: when, and the counters then. */
    record Sample(long at, long completed, long failed) {
    }

    /** Jobs finished between two samples, per minute. */
    record Rate(long at, double completedPerMinute, double failedPerMinute) {
    }

    private final Storage storage;
    private final Clock clock;
    private final int capacity;
    private final Map<String, ArrayDeque<Sample>> buffers = new ConcurrentHashMap<>();
    private final Map<String, FinishedTotals> latest = new ConcurrentHashMap<>();
    private volatile boolean failing;

    ThroughputSampler(Storage storage, Clock clock, Duration interval, Duration history) {
        this.storage = storage;
        this.clock = clock;
        this.capacity = (int) Math.max(2, history.toMillis() / interval.toMillis() + 1);
    }

    /** Takes one sample of every queue; storage errors are logged once per streak and skipped. */
    void sample() {
        try {
            List<String> names = storage.queueNames();
            long now = clock.millis();
            Set<String> seen = new HashSet<>(names);
            for (String name : names) {
                FinishedTotals totals = storage.finishedTotals(name);
                latest.put(name, totals);
                ArrayDeque<Sample> buffer = buffers.computeIfAbsent(name, n -> new ArrayDeque<>());
                synchronized (buffer) {
                    buffer.addLast(new Sample(now, totals.completed(), totals.failed()));
                    while (buffer.size() > capacity) {
                        buffer.removeFirst();
                    }
                }
            }
            buffers.keySet().retainAll(seen);
            latest.keySet().retainAll(seen);
            if (failing) {
                LOG.info("dashboard: sampling finished totals works again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warn("dashboard: sampling finished totals failed; the charts have a gap until it works again", e);
                failing = true;
            }
        }
    }

    /** The latest totals of {@code queue}, or {@code null} before its first sample. */
    FinishedTotals latest(String queue) {
        return latest.get(queue);
    }

    /** Every sampled queue's rates, oldest first. */
    Map<String, List<Rate>> rates() {
        Map<String, List<Rate>> out = new TreeMap<>();
        buffers.forEach((name, buffer) -> out.put(name, rates(buffer)));
        return out;
    }

    private static List<Rate> rates(ArrayDeque<Sample> buffer) {
        List<Sample> samples;
        synchronized (buffer) {
            samples = new ArrayList<>(buffer);
        }
        List<Rate> rates = new ArrayList<>(Math.max(0, samples.size() - 1));
        for (int i = 1; i < samples.size(); i++) {
            Sample a = samples.get(i - 1);
            Sample b = samples.get(i);
            long millis = Math.max(1, b.at() - a.at());
            rates.add(new Rate(b.at(), perMinute(a.completed(), b.completed(), millis),
                    perMinute(a.failed(), b.failed(), millis)));
        }
        return rates;
    }

    /** A counter that went down was reset: all of its new value was counted since. */
    static double perMinute(long before, long after, long millis) {
        long delta = after >= before ? after - before : after;
        return delta * 60_000.0 / millis;
    }
}
