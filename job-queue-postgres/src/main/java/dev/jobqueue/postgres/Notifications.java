package dev.jobqueue.postgres;

import dev.jobqueue.JobState;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage's one {@code LISTEN} connection and the thread that reads it. Notifications on the
 * storage's channel are {@code w<queue>} (work may be claimable: wake the queue's idle claimers)
 * and {@code t<state><n>:<queue><id>} (a job of a waited-for kind ended; {@code n} is the queue's
 * length in code points). When the connection fails (server restart, {@code pg_terminate_backend},
 * network) the thread reconnects with backoff, LISTENs again, then wakes every idle claimer and
 * tells every terminal listener {@code onResubscribed()}, because notifications sent meanwhile
 * were lost. A {@code SELECT 1} every few seconds notices a connection that died silently.
 */
final class Notifications implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Notifications.class);
    private static final int POLL_MILLIS = 500;
    private static final long PING_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long MAX_BACKOFF_MILLIS = 2000;

    /** Opens the dedicated connection. */
    @FunctionalInterface
    interface Connector {
        Connection open() throws SQLException;
    }

    private final Connector connector;
    private final String channel;
    private final IdleClaimers claimers;
    private final TerminalNotifier terminal;
    /** Told when the LISTEN connection is lost: the pool's sessions were likely ended with it. */
    private final Runnable connectionLost;
    private final Thread thread;
    private final CountDownLatch firstListen = new CountDownLatch(1);
    private volatile boolean closed;
    private volatile boolean listening;
    private volatile Connection current;

    Notifications(Connector connector, String channel, IdleClaimers claimers, TerminalNotifier terminal,
            Runnable connectionLost) {
        this.connector = connector;
        this.connectionLost = connectionLost;
        this.channel = channel;
        this.claimers = claimers;
        this.terminal = terminal;
        this.thread = new Thread(this::run, "jobqueue-postgres-listen-" + channel);
        this.thread.setDaemon(true);
    }

    /** Starts the thread and waits (bounded) for the first LISTEN, so early wake-ups are heard. */
    void start() {
        thread.start();
        try {
            firstListen.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether notifications are being received now; claimers poll when they are not. */
    boolean listening() {
        return listening;
    }

    private void run() {
        long backoff = 50;
        while (!closed) {
            try (Connection c = connector.open()) {
                current = c;
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + Schema.quote(channel));
                }
                listening = true;
                firstListen.countDown();
                backoff = 50;
                // Anything sent while we were not listening is lost: make everyone look again.
                claimers.wakeAll();
                terminal.resubscribed();
                receive(c);
            } catch (SQLException | RuntimeException e) {
                if (!closed) {
                    LOG.warn("notification connection lost ({}); reconnecting", e.getMessage());
                    // before the re-LISTEN, whose resubscribe makes waiters re-read status on pooled connections
                    connectionLost.run();
                }
            } finally {
                listening = false;
                current = null;
            }
            if (closed) {
                return;
            }
            claimers.wakeAll();
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                return;
            }
            backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
        }
    }

    private void receive(Connection c) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        long lastPing = System.nanoTime();
        while (!closed) {
            PGNotification[] batch = pg.getNotifications(POLL_MILLIS);
            if (batch != null) {
                for (PGNotification n : batch) {
                    dispatch(n.getParameter());
                }
            }
            if (System.nanoTime() - lastPing > PING_NANOS) {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT 1");
                }
                lastPing = System.nanoTime();
            }
        }
    }

    private void dispatch(String payload) {
        if (payload.isEmpty()) {
            return;
        }
        try {
            char kind = payload.charAt(0);
            if (kind == 'w') {
                claimers.wake(Text.decode(payload.substring(1)));
            } else if (kind == 't') {
                JobState state = JobState.values()[payload.charAt(1) - '0'];
                int colon = payload.indexOf(':', 2);
                int queueCodePoints = Integer.parseInt(payload.substring(2, colon));
                int queueEnd = payload.offsetByCodePoints(colon + 1, queueCodePoints);
                String queue = Text.decode(payload.substring(colon + 1, queueEnd));
                String id = Text.decode(payload.substring(queueEnd));
                terminal.terminal(queue, id, state);
            }
        } catch (RuntimeException e) {
            LOG.warn("ignoring a malformed notification on channel {}", channel, e);
        }
    }

    /**
     * Stops the thread. Its connection is closed first: the thread may sit in a socket read for
     * up to {@link #POLL_MILLIS}, which an interrupt does not end, and closing makes the read
     * fail at once (the thread then sees {@code closed} and ends without a warning).
     */
    @Override
    public void close() {
        closed = true;
        Connection c = current;
        thread.interrupt();
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("closing the notification connection", e);
            }
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        claimers.wakeAll();
    }
}
