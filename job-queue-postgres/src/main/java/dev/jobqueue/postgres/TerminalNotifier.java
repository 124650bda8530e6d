package dev.jobqueue.postgres;

import dev.jobqueue.JobState;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.Subscription;
import dev.jobqueue.spi.TerminalListener;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The terminal listeners of this storage per queue, told by {@link Notifications} of every
 * terminal {@code NOTIFY} of their queue (from any process), and of every re-LISTEN after a
 * connection loss ({@link TerminalListener#onResubscribed}) so that waiters re-read what they
 * may have missed. COMPLETED and FAILED come without a snapshot (the listener reads the status,
 * with the result); a CANCELLED one, which may be a deleted job with no status left, comes with a
 * minimal CANCELLED snapshot.
 */
final class TerminalNotifier {
    private static final Logger LOG = LoggerFactory.getLogger(TerminalNotifier.class);

    private final ConcurrentHashMap<String, List<TerminalListener>> listeners = new ConcurrentHashMap<>();

    Subscription subscribe(String queue, TerminalListener listener) {
        listeners.computeIfAbsent(queue, q -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> listeners.computeIfPresent(queue, (q, list) -> {
            list.remove(listener);
            return list.isEmpty() ? null : list;
        });
    }

    void terminal(String queue, String jobId, JobState state) {
        List<TerminalListener> list = listeners.get(queue);
        if (list == null) {
            return;
        }
        JobSnapshot snapshot = state == JobState.CANCELLED
                ? new JobSnapshot(jobId, state, 0, null, null, 0, 0, 0, null, null, null, null, null)
                : null;
        for (TerminalListener l : list) {
            try {
                l.onTerminal(jobId, snapshot);
            } catch (RuntimeException e) {
                LOG.warn("terminal listener failed", e);
            }
        }
    }

    void resubscribed() {
        for (List<TerminalListener> list : listeners.values()) {
            for (TerminalListener l : list) {
                try {
                    l.onResubscribed();
                } catch (RuntimeException e) {
                    LOG.warn("terminal listener failed in onResubscribed", e);
                }
            }
        }
    }
}
