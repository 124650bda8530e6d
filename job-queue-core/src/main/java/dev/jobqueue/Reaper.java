package dev.jobqueue;

import static dev.jobqueue.Arguments.check;
import static dev.jobqueue.Arguments.checkQueueName;
import static dev.jobqueue.Arguments.positive;

import dev.jobqueue.internal.Identities;
import dev.jobqueue.internal.ReaperLoop;
import dev.jobqueue.internal.ReaperSettings;
import dev.jobqueue.internal.SafeReaperListener;
import dev.jobqueue.spi.Storage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds jobs whose worker stopped extending its lease (it died, hung or lost its connection) and
 * puts them back: QUEUED again, or FAILED once they stalled more than their maxStalls. It reads
 * the storage's lease-deadline index and never scans all jobs. Run one per queue per process (or
 * several with leader election, of which one is active).
 *
 * <!-- snippet: reaper -->
 * <pre>{@code
 * try (Reaper reaper = Reaper.builder(storage).name("orders").leaderElection(true).build()) {
 *     reaper.start();
 *     // ... until the application stops
 * }
 * }</pre>
 *
 * <p>It uses only {@link Storage#requeueExpired} and the storage's lock operations, so it behaves
 * the same on every storage. start/stop/close are idempotent; a stopped reaper leaves no thread
 * behind and can be started again.
 */
public final class Reaper implements AutoCloseable {
    private final ReaperSettings settings;
    private ReaperLoop loop; // guarded by this

    private Reaper(ReaperSettings settings) {
        this.settings = settings;
    }

    public static Builder builder(Storage storage) {
        return new Builder(storage);
    }

    public synchronized void start() {
        if (loop != null) {
            return;
        }
        loop = new ReaperLoop(settings);
        loop.start();
        settings.logger().info("reaper {} started on queue {} (leader election {})", settings.reaperId(),
                settings.name(), settings.leaderElection() ? "on" : "off");
    }

    /** Stops scanning, releases leadership (emitting leadershipLost) and ends its threads. */
    public synchronized void stop() {
        if (loop == null) {
            return;
        }
        try {
            loop.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        loop = null;
        settings.logger().info("reaper {} stopped", settings.reaperId());
    }

    @Override
    public void close() {
        stop();
    }

    /** True while running as the leader whose leadership cannot have expired (always false without election). */
    public synchronized boolean isLeader() {
        return loop != null && settings.leaderElection() && loop.isLeader();
    }

    public synchronized boolean isRunning() {
        return loop != null;
    }

    public String reaperId() {
        return settings.reaperId();
    }

    public String name() {
        return settings.name();
    }

    /**
     * Immutable builder of a {@link Reaper}; setters validate at once with an
     * {@link IllegalArgumentException} naming the option.
     *
     * <!-- snippet: reaper-builder -->
     * <pre>{@code
     * Reaper reaper = Reaper.builder(storage).name("orders").scanInterval(Duration.ofSeconds(2))
     *         .leaderElection(true).lockTtl(Duration.ofSeconds(15)).renewInterval(Duration.ofSeconds(5)).build();
     * }</pre>
     *
     * <p>Defaults: name "default", scanInterval 1 s, batchSize 100, leader election off, lockTtl
     * 30 s, renewInterval 10 s, acquireRetryInterval 5 s, reaperId "reaper-host-pid-random",
     * logger {@code dev.jobqueue.Reaper}, system UTC clock (use the storage's clock).
     */
    public static final class Builder {
        private final Storage storage;
        private String name = "default";
        private Duration scanInterval = Duration.ofSeconds(1);
        private int batchSize = 100;
        private boolean leaderElection;
        private Duration lockTtl = Duration.ofSeconds(30);
        private Duration renewInterval = Duration.ofSeconds(10);
        private Duration acquireRetryInterval = Duration.ofSeconds(5);
        private String reaperId;
        private List<ReaperListener> listeners = List.of();
        private Logger logger = LoggerFactory.getLogger(Reaper.class);
        private Clock clock = Clock.systemUTC();

        private Builder(Storage storage) {
            check(storage != null, "storage must not be null");
            this.storage = storage;
        }

        private Builder copy() {
            Builder b = new Builder(storage);
            b.name = name;
            b.scanInterval = scanInterval;
            b.batchSize = batchSize;
            b.leaderElection = leaderElection;
            b.lockTtl = lockTtl;
            b.renewInterval = renewInterval;
            b.acquireRetryInterval = acquireRetryInterval;
            b.reaperId = reaperId;
            b.listeners = listeners;
            b.logger = logger;
            b.clock = clock;
            return b;
        }

        /** The queue to reap: {@code [A-Za-z0-9._-]{1,128}}, as in {@link Queue.Builder#name}. */
        public Builder name(String name) {
            checkQueueName(name);
            Builder b = copy();
            b.name = name;
            return b;
        }

        /** How often the active reaper looks for expired leases (> 0). */
        public Builder scanInterval(Duration scanInterval) {
            check(positive(scanInterval), "scanInterval must be > 0, got " + scanInterval);
            Builder b = copy();
            b.scanInterval = scanInterval;
            return b;
        }

        /** Jobs requeued per storage call (>= 1); a scan repeats until a batch comes back short. */
        public Builder batchSize(int batchSize) {
            check(batchSize >= 1, "batchSize must be >= 1, got " + batchSize);
            Builder b = copy();
            b.batchSize = batchSize;
            return b;
        }

        /** When on, only the holder of the queue's reaper lock scans. */
        public Builder leaderElection(boolean leaderElection) {
            Builder b = copy();
            b.leaderElection = leaderElection;
            return b;
        }

        /** Lifetime of the leader lock (> 0, > renewInterval). */
        public Builder lockTtl(Duration lockTtl) {
            check(positive(lockTtl), "lockTtl must be > 0, got " + lockTtl);
            Builder b = copy();
            b.lockTtl = lockTtl;
            return b;
        }

        /** How often the leader renews its lock (&gt; 0, &lt; lockTtl; a third of it leaves room for slow calls). */
        public Builder renewInterval(Duration renewInterval) {
            check(positive(renewInterval), "renewInterval must be > 0, got " + renewInterval);
            Builder b = copy();
            b.renewInterval = renewInterval;
            return b;
        }

        /** How often a follower tries to take the lock (> 0). */
        public Builder acquireRetryInterval(Duration acquireRetryInterval) {
            check(positive(acquireRetryInterval), "acquireRetryInterval must be > 0, got " + acquireRetryInterval);
            Builder b = copy();
            b.acquireRetryInterval = acquireRetryInterval;
            return b;
        }

        /** This reaper's id (non-blank); default unique per reaper. */
        public Builder reaperId(String reaperId) {
            check(reaperId != null && !reaperId.isBlank(), "reaperId must be a non-blank string");
            Builder b = copy();
            b.reaperId = reaperId;
            return b;
        }

        /** Adds a listener (several allowed). */
        public Builder listener(ReaperListener listener) {
            check(listener != null, "listener must not be null");
            List<ReaperListener> more = new ArrayList<>(listeners);
            more.add(listener);
            Builder b = copy();
            b.listeners = List.copyOf(more);
            return b;
        }

        public Builder logger(Logger logger) {
            check(logger != null, "logger must not be null");
            Builder b = copy();
            b.logger = logger;
            return b;
        }

        /** The clock leadership validity is judged by: give the storage's clock (default system UTC). */
        public Builder clock(Clock clock) {
            check(clock != null, "clock must not be null");
            Builder b = copy();
            b.clock = clock;
            return b;
        }

        /** Builds the reaper; checks that renewInterval &lt; lockTtl. */
        public Reaper build() {
            check(renewInterval.compareTo(lockTtl) < 0,
                    "renewInterval (" + renewInterval + ") must be < lockTtl (" + lockTtl + ")");
            String id = reaperId != null ? reaperId : "reaper-" + Identities.unique();
            return new Reaper(new ReaperSettings(storage, name, scanInterval, batchSize, leaderElection, lockTtl,
                    renewInterval, acquireRetryInterval, id, new SafeReaperListener(listeners, logger), logger, clock));
        }
    }

    @Override
    public String toString() {
        return "Reaper[" + settings.reaperId() + " on " + settings.name() + "]";
    }
}
