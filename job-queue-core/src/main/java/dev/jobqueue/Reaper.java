package dev.jobqueue;

import static dev.jobqueue.Arguments.check;
import static dev.jobqueue.Arguments.nonBlank;
import static dev.jobqueue.Arguments.notNull;
import static dev.jobqueue.Arguments.positive;
import static dev.jobqueue.Arguments.queueName;

import dev.jobqueue.internal.ReaperLoop;
import dev.jobqueue.internal.ReaperSettings;
import dev.jobqueue.internal.ShutdownHook;
import dev.jobqueue.spi.CheckedStorage;
import dev.jobqueue.spi.Storage;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;

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
 * behind and can be started again. A started reaper stops itself on JVM shutdown (SIGTERM,
 * Ctrl-C), releasing its leader lock, unless built with
 * {@link Builder#closeOnJvmShutdown(boolean) closeOnJvmShutdown(false)}.
 */
public final class Reaper implements AutoCloseable {
    private final ReaperSettings settings;
    private ReaperLoop loop; // guarded by this
    private ShutdownHook shutdownHook; // guarded by this

    private Reaper(ReaperSettings settings) {
        this.settings = settings;
    }

    /**
     * A builder of a reaper for one queue of {@code storage}.
     *
     * @param storage the storage holding the queue; not {@code null}
     * @return a new builder holding the defaults
     */
    public static Builder builder(Storage storage) {
        return new Builder(storage);
    }

    /**
     * Starts scanning (and, with leader election, trying to lead). Calling it again while running
     * does nothing. All or nothing: when it throws, no thread or hook of this reaper is left and
     * {@link #isRunning()} is false.
     *
     * @throws IllegalStateException when the JVM is already shutting down (closeOnJvmShutdown on)
     */
    public synchronized void start() {
        if (loop != null) {
            return;
        }
        ReaperLoop started = new ReaperLoop(settings);
        ShutdownHook hook = null;
        try {
            started.start();
            if (settings.closeOnJvmShutdown()) {
                hook = ShutdownHook.register("jobqueue-reaper-" + settings.name() + "-shutdown", this::close);
            }
            settings.logger().info("reaper {} started on queue {} (leader election {})", settings.reaperId(),
                    settings.name(), settings.leaderElection() ? "on" : "off");
        } catch (RuntimeException | Error e) {
            if (hook != null) {
                hook.remove();
            }
            stopQuietly(started, e);
            throw e;
        }
        loop = started;
        shutdownHook = hook;
    }

    private static void stopQuietly(ReaperLoop started, Throwable cause) {
        try {
            started.stop();
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error stopFailure) {
            cause.addSuppressed(stopFailure);
        }
    }

    /**
     * Stops scanning, releases leadership (emitting leadershipLost), ends its threads and removes
     * its JVM shutdown hook.
     */
    public synchronized void stop() {
        if (loop == null) {
            return;
        }
        try {
            loop.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            loop = null;
            if (shutdownHook != null) {
                shutdownHook.remove();
                shutdownHook = null;
            }
        }
        settings.logger().info("reaper {} stopped", settings.reaperId());
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * True while running as the leader whose leadership cannot have expired (always false without election).
     *
     * @return whether this reaper currently leads
     */
    public synchronized boolean isLeader() {
        return loop != null && settings.leaderElection() && loop.isLeader();
    }

    /**
     * True between {@link #start()} and {@link #stop()}.
     *
     * @return whether this reaper is started
     */
    public synchronized boolean isRunning() {
        return loop != null;
    }

    /**
     * This reaper's id, the owner written into the leader lock and shown in logs and events.
     *
     * @return the id
     */
    public String reaperId() {
        return settings.reaperId();
    }

    /**
     * The queue this reaper reaps.
     *
     * @return the queue name
     */
    public String name() {
        return settings.name();
    }

    /**
     * Builder of a {@link Reaper}, mutable like every builder of this library: each setter
     * validates its option at once (an {@link IllegalArgumentException} naming the option) and
     * returns this builder; {@link #build()} snapshots the options, so later changes do not
     * affect a built reaper. Not thread-safe.
     *
     * <!-- snippet: reaper-builder -->
     * <pre>{@code
     * Reaper reaper = Reaper.builder(storage).name("orders").scanInterval(Duration.ofSeconds(2))
     *         .leaderElection(true).lockTtl(Duration.ofSeconds(15)).renewInterval(Duration.ofSeconds(5)).build();
     * }</pre>
     *
     * <p>Defaults: name "default", scanInterval 1 s, batchSize 100, leader election off, lockTtl
     * 30 s, renewInterval 10 s, acquireRetryInterval 5 s, reaperId "reaper-host-pid-random",
     * logger {@code dev.jobqueue.Reaper}, system UTC clock (use the storage's clock),
     * closeOnJvmShutdown on. Every duration is > 0 and at most 100 years.
     */
    public static final class Builder {
        private final ReaperSettings.Builder settings;

        private Builder(Storage storage) {
            this.settings = ReaperSettings.builder(CheckedStorage.of(notNull(storage, "storage")));
        }

        /**
         * The queue to reap: {@code [A-Za-z0-9._-]{1,128}}, as in {@link Queue.Builder#name}.
         *
         * @param name the queue's name
         * @return this builder
         */
        public Builder name(String name) {
            settings.name(queueName(name));
            return this;
        }

        /**
         * How often the active reaper looks for expired leases (> 0).
         *
         * @param scanInterval the pause between scans
         * @return this builder
         */
        public Builder scanInterval(Duration scanInterval) {
            settings.scanInterval(positive(scanInterval, "scanInterval"));
            return this;
        }

        /**
         * Jobs requeued per storage call (>= 1); a scan repeats until a batch comes back short.
         *
         * @param batchSize the most jobs one storage call requeues
         * @return this builder
         */
        public Builder batchSize(int batchSize) {
            check(batchSize >= 1, "batchSize must be >= 1, got " + batchSize);
            settings.batchSize(batchSize);
            return this;
        }

        /**
         * When on, only the holder of the queue's reaper lock scans.
         *
         * @param leaderElection whether reapers of the queue elect one leader that alone scans
         * @return this builder
         */
        public Builder leaderElection(boolean leaderElection) {
            settings.leaderElection(leaderElection);
            return this;
        }

        /**
         * Lifetime of the leader lock (> 0, > renewInterval).
         *
         * @param lockTtl how long the lock holds without renewal; a dead leader is replaced after it
         * @return this builder
         */
        public Builder lockTtl(Duration lockTtl) {
            settings.lockTtl(positive(lockTtl, "lockTtl"));
            return this;
        }

        /**
         * How often the leader renews its lock (> 0, {@code < lockTtl}; a third of it leaves room for slow calls).
         *
         * @param renewInterval the pause between the leader's renewals
         * @return this builder
         */
        public Builder renewInterval(Duration renewInterval) {
            settings.renewInterval(positive(renewInterval, "renewInterval"));
            return this;
        }

        /**
         * How often a follower tries to take the lock (> 0).
         *
         * @param acquireRetryInterval the pause between a follower's attempts
         * @return this builder
         */
        public Builder acquireRetryInterval(Duration acquireRetryInterval) {
            settings.acquireRetryInterval(positive(acquireRetryInterval, "acquireRetryInterval"));
            return this;
        }

        /**
         * This reaper's id (non-blank); default unique per built reaper.
         *
         * @param reaperId the lock owner name, at most 1000 characters
         * @return this builder
         */
        public Builder reaperId(String reaperId) {
            // The lock owner is reaperId + ":" + term, which must stay within the storages' name length.
            check(reaperId == null || reaperId.length() <= 1000, "reaperId must be at most 1000 chars, got " + (reaperId == null ? 0 : reaperId.length()));
            settings.reaperId(CheckedStorage.requireValidName(nonBlank(reaperId, "reaperId"), "reaperId"));
            return this;
        }

        /**
         * Adds a listener (several allowed).
         *
         * @param listener told of stalled jobs, leadership changes and errors; not {@code null}
         * @return this builder
         */
        public Builder listener(ReaperListener listener) {
            settings.addListener(notNull(listener, "listener"));
            return this;
        }

        /**
         * Where the reaper logs.
         *
         * @param logger the SLF4J logger; not {@code null}
         * @return this builder
         */
        public Builder logger(Logger logger) {
            settings.logger(notNull(logger, "logger"));
            return this;
        }

        /**
         * The clock leadership validity is judged by: give the storage's clock (default system UTC).
         *
         * @param clock the clock; not {@code null}
         * @return this builder
         */
        public Builder clock(Clock clock) {
            settings.clock(notNull(clock, "clock"));
            return this;
        }

        /**
         * Whether a started reaper stops itself when the JVM shuts down (SIGTERM, Ctrl-C); default
         * on. Stopping releases its leader lock, so another process's reaper takes over at once
         * instead of after lockTtl. The hook is registered by {@link Reaper#start()} and removed by
         * {@link Reaper#stop()}.
          *
          * @param closeOnJvmShutdown whether to register the shutdown hook on start
          * @return this builder
         */
        public Builder closeOnJvmShutdown(boolean closeOnJvmShutdown) {
            settings.closeOnJvmShutdown(closeOnJvmShutdown);
            return this;
        }

        /**
         * A new reaper with the options set so far; checks that {@code renewInterval < lockTtl}.
         *
         * @return a new, not yet started reaper
         * @throws IllegalArgumentException when {@code renewInterval} is not shorter than {@code lockTtl}
         */
        public Reaper build() {
            check(settings.renewInterval().compareTo(settings.lockTtl()) < 0,
                    "renewInterval (" + settings.renewInterval() + ") must be < lockTtl (" + settings.lockTtl() + ")");
            return new Reaper(settings.build());
        }
    }

    @Override
    public String toString() {
        return "Reaper[" + settings.reaperId() + " on " + settings.name() + "]";
    }
}
