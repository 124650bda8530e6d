package dev.jobqueue.memory;

import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.Subscription;
import dev.jobqueue.spi.TerminalListener;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The memory storage's TerminalNotifier: tells the in-process subscribers of one queue about its
 * terminal transitions, on the thread that made the transition; a failing listener is logged and
 * skipped.
 */
final class TerminalNotifier {
    private static final Logger LOG = LoggerFactory.getLogger(TerminalNotifier.class);

    private final String queue;
    private final CopyOnWriteArrayList<Registration> registrations = new CopyOnWriteArrayList<>();

    TerminalNotifier(String queue) {
        this.queue = queue;
    }

    /** True when someone listens, so callers can skip building snapshots nobody reads. */
    boolean any() {
        return !registrations.isEmpty();
    }

    Subscription add(TerminalListener listener) {
        Registration r = new Registration(listener);
        registrations.add(r);
        return r;
    }

    /** Calls every listener; must be called outside any lock. */
    void fire(JobSnapshot snapshot) {
        if (snapshot == null) {
            return;
        }
        for (Registration r : registrations) {
            try {
                r.listener.onTerminal(snapshot.id(), snapshot);
            } catch (RuntimeException e) {
                LOG.warn("terminal listener of queue '{}' failed for job '{}'; ignored", queue, snapshot.id(), e);
            }
        }
    }

    /** One subscription; a distinct object so the same listener may be subscribed twice. */
    private final class Registration implements Subscription {
        final TerminalListener listener;

        Registration(TerminalListener listener) {
            this.listener = listener;
        }

        @Override
        public void close() {
            registrations.remove(this);
        }
    }
}
