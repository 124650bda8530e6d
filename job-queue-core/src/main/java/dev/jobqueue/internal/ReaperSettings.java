package dev.jobqueue.internal;

import dev.jobqueue.ReaperListener;
import dev.jobqueue.spi.Storage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration of one reaper: an immutable snapshot of a {@link Builder}, which the public
 * {@code Reaper.Builder} fills after validating each option.
 */
public final class ReaperSettings {
    private final Storage storage;
    private final String name;
    private final Duration scanInterval;
    private final int batchSize;
    private final boolean leaderElection;
    private final Duration lockTtl;
    private final Duration renewInterval;
    private final Duration acquireRetryInterval;
    private final String reaperId;
    private final ReaperListener listener;
    private final Logger logger;
    private final Clock clock;
    private final boolean closeOnJvmShutdown;

    private ReaperSettings(Builder b) {
        this.storage = b.storage;
        this.name = b.name;
        this.scanInterval = b.scanInterval;
        this.batchSize = b.batchSize;
        this.leaderElection = b.leaderElection;
        this.lockTtl = b.lockTtl;
        this.renewInterval = b.renewInterval;
        this.acquireRetryInterval = b.acquireRetryInterval;
        this.reaperId = b.reaperId != null ? b.reaperId : "reaper-" + Identities.unique();
        this.listener = new SafeReaperListener(b.listeners, b.logger);
        this.logger = b.logger;
        this.clock = b.clock;
        this.closeOnJvmShutdown = b.closeOnJvmShutdown;
    }

    public static Builder builder(Storage storage) {
        return new Builder(storage);
    }

    /** Mutable, unvalidated (the public builder validates); {@link #build()} snapshots it. */
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
        private final List<ReaperListener> listeners = new ArrayList<>();
        private Logger logger = LoggerFactory.getLogger("dev.jobqueue.Reaper");
        private Clock clock = Clock.systemUTC();
        private boolean closeOnJvmShutdown = true;

        private Builder(Storage storage) {
            this.storage = storage;
        }

        public void name(String v) {
            name = v;
        }

        public void scanInterval(Duration v) {
            scanInterval = v;
        }

        public void batchSize(int v) {
            batchSize = v;
        }

        public void leaderElection(boolean v) {
            leaderElection = v;
        }

        public void lockTtl(Duration v) {
            lockTtl = v;
        }

        public Duration lockTtl() {
            return lockTtl;
        }

        public void renewInterval(Duration v) {
            renewInterval = v;
        }

        public Duration renewInterval() {
            return renewInterval;
        }

        public void acquireRetryInterval(Duration v) {
            acquireRetryInterval = v;
        }

        public void reaperId(String v) {
            reaperId = v;
        }

        public void addListener(ReaperListener v) {
            listeners.add(v);
        }

        public void logger(Logger v) {
            logger = v;
        }

        public void clock(Clock v) {
            clock = v;
        }

        public void closeOnJvmShutdown(boolean v) {
            closeOnJvmShutdown = v;
        }

        /** An immutable snapshot; later changes to this builder do not reach it. */
        public ReaperSettings build() {
            return new ReaperSettings(this);
        }
    }

    public Storage storage() {
        return storage;
    }

    public String name() {
        return name;
    }

    public Duration scanInterval() {
        return scanInterval;
    }

    public int batchSize() {
        return batchSize;
    }

    public boolean leaderElection() {
        return leaderElection;
    }

    public Duration lockTtl() {
        return lockTtl;
    }

    public Duration renewInterval() {
        return renewInterval;
    }

    public Duration acquireRetryInterval() {
        return acquireRetryInterval;
    }

    public String reaperId() {
        return reaperId;
    }

    public ReaperListener listener() {
        return listener;
    }

    public Logger logger() {
        return logger;
    }

    public Clock clock() {
        return clock;
    }

    public boolean closeOnJvmShutdown() {
        return closeOnJvmShutdown;
    }
}
