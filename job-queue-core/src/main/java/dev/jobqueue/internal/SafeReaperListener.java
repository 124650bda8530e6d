package dev.jobqueue.internal;

import dev.jobqueue.ReaperListener;
import dev.jobqueue.spi.StalledJob;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;

/** Fans reaper events out; a throwing listener is logged and never stops the reaper. */
public final class SafeReaperListener implements ReaperListener {
    private final List<ReaperListener> listeners;
    private final Logger logger;

    public SafeReaperListener(List<ReaperListener> listeners, Logger logger) {
        this.listeners = List.copyOf(listeners);
        this.logger = logger;
    }

    private void each(String event, Consumer<ReaperListener> call) {
        ListenerCalls.each(listeners, logger, event, call);
    }

    @Override
    public void stalled(StalledJob job) {
        each("stalled", l -> l.stalled(job));
    }

    @Override
    public void leadershipAcquired(String reaperId) {
        each("leadershipAcquired", l -> l.leadershipAcquired(reaperId));
    }

    @Override
    public void leadershipLost(String reaperId) {
        each("leadershipLost", l -> l.leadershipLost(reaperId));
    }

    @Override
    public void error(Throwable error) {
        each("error", l -> l.error(error));
    }
}
