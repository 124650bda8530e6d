package dev.jobqueue.postgres;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the wake-up of the storage's own (auto-commit) enqueues after their commit, coalesced:
 * at most one {@code NOTIFY} statement in flight, carrying every queue marked since the last
 * one (and every other notice handed to {@link #notice}, such as the terminal notice of a
 * cancelled running job). Keeping {@code pg_notify} out of the enqueue's transaction keeps enqueue commits from
 * queueing on PostgreSQL's notify lock (held through each notifying commit's WAL flush); the
 * wake-up still never precedes the commit. Claimers of this process are woken at once.
 */
final class Waker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Waker.class);

    private final Database db;
    private final String channel;
    private final IdleClaimers local;
    /** The notices to send: {@code w<queue>} wake-ups and other notices, each once. */
    private final Set<String> marked = new LinkedHashSet<>();
    private final Thread thread;
    private boolean closed;

    Waker(Database db, String channel, IdleClaimers local) {
        this.db = db;
        this.channel = channel;
        this.local = local;
        this.thread = new Thread(this::run, "jobqueue-postgres-wake-" + channel);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** After a commit that made jobs of {@code encodedQueue} claimable. */
    void wake(String encodedQueue) {
        local.wake(encodedQueue);
        notice("w" + encodedQueue);
    }

    /** After a commit that must be announced on the channel with {@code payload} (see {@link Notifications}). */
    void notice(String payload) {
        synchronized (this) {
            if (marked.add(payload)) {
                notifyAll();
            }
        }
    }

    private void run() {
        while (true) {
            List<String> notices;
            synchronized (this) {
                while (marked.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                notices = new ArrayList<>(marked);
                marked.clear();
            }
            String[] batch = notices.toArray(String[]::new);
            try {
                db.single("wake-up", c -> {
                    try (PreparedStatement ps = c.prepareStatement(
                            "SELECT count(pg_notify(?, n)) FROM unnest(CAST(? AS text[])) AS n")) {
                        ps.setString(1, channel);
                        ps.setArray(2, c.createArrayOf("text", batch));
                        ps.executeQuery().close();
                    }
                    return null;
                });
            } catch (RuntimeException e) {
                // the database is unreachable: claimers elsewhere re-check at their next wake-up,
                // reconnect (every LISTEN reconnect wakes all) or maxWait
                LOG.debug("wake-up notification failed", e);
            }
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
