package dev.jobqueue.redis;

import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.Subscription;
import dev.jobqueue.spi.TerminalListener;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.UnifiedJedis;

/**
 * One pub/sub connection per storage, subscribed to the terminal channel of every queue that has
 * listeners, dispatching notifications to them in-process. When the connection drops it comes
 * back with backoff, re-subscribes, and tells every listener {@code onResubscribed()} (also after
 * the first subscribe) so that waiters re-check what they may have missed.
 */
final class TerminalNotifier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TerminalNotifier.class);
    /**
     * How long subscribe() waits for the server to confirm, so a caller's enqueue comes after it.
     * Short: a healthy server confirms within milliseconds, and a missed confirmation only costs
     * the status re-read that onResubscribed() makes, while a caller's wait timeout (enqueueAndWait
     * subscribes first) must hold when Redis stalls unnoticed.
     */
    private static final long CONFIRM_MILLIS = 500;
    private static final long PING_MILLIS = 3000;

    private final UnifiedJedis client;
    private final ThreadFactory threads;
    private final byte[] anchor;
    private final Map<ByteBuffer, Channel> channels = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private Thread thread;
    private Handler active;
    private volatile boolean closed;
    /**
     * The last subscribe attempt failed and none has succeeded since: subscribe() then does not
     * wait for a confirmation that cannot come soon (a caller's wait timeout must hold); the
     * listener's onResubscribed() after the reconnect makes up for what it misses meanwhile.
     */
    private volatile boolean down;

    /**
     * @param anchor a channel that stays subscribed while the connection lives: Jedis ends a
     *               subscription (and hands the connection back to the pool) when the count of
     *               subscribed channels reaches zero, which must not happen while another channel's
     *               SUBSCRIBE may still be in flight
     */
    TerminalNotifier(UnifiedJedis client, ThreadFactory threads, byte[] anchor) {
        this.client = client;
        this.threads = threads;
        this.anchor = anchor;
    }

    /**
     * Tells this instance's listeners of the channel about a terminal job directly: the script
     * published nothing because only this instance waits for the job.
     */
    void deliverLocally(byte[] channelName, JobSnapshot snapshot) {
        Channel channel = channels.get(ByteBuffer.wrap(channelName));
        if (channel != null) {
            dispatch(channel, snapshot);
        }
    }

    private static void dispatch(Channel channel, JobSnapshot snapshot) {
        for (TerminalListener l : channel.listeners) {
            try {
                l.onTerminal(snapshot.id(), snapshot);
            } catch (RuntimeException e) {
                LOG.warn("terminal listener failed", e);
            }
        }
    }

    Subscription subscribe(byte[] channelName, TerminalListener listener) {
        ByteBuffer name = ByteBuffer.wrap(channelName);
        Channel channel;
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("storage is closed");
            }
            channel = channels.computeIfAbsent(name, n -> new Channel(channelName));
            channel.listeners.add(listener);
            if (channel.listeners.size() == 1) {
                if (thread == null) {
                    thread = threads.newThread(this::run);
                    thread.start();
                    threads.newThread(this::keepAlive).start();
                } else if (active != null && active.isSubscribed()) {
                    try {
                        active.subscribe(channelName);
                    } catch (RuntimeException e) {
                        LOG.debug("subscribe on a failing connection; the reconnect subscribes it", e);
                    }
                }
                lock.notifyAll();
            }
        }
        if (down) {
            return () -> unsubscribe(name, listener);
        }
        try {
            channel.confirmed.get(CONFIRM_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // not confirmed yet (Redis unreachable): the listener's onResubscribed() follows the subscribe
            LOG.debug("subscription not yet confirmed", e);
        }
        return () -> unsubscribe(name, listener);
    }

    private void unsubscribe(ByteBuffer name, TerminalListener listener) {
        synchronized (lock) {
            Channel channel = channels.get(name);
            if (channel == null || !channel.listeners.remove(listener) || !channel.listeners.isEmpty()) {
                return;
            }
            channels.remove(name);
            if (active != null && active.isSubscribed()) {
                try {
                    active.unsubscribe(channel.name);
                } catch (RuntimeException e) {
                    LOG.debug("unsubscribe on a failing connection", e);
                }
            }
        }
    }

    private void run() {
        long backoffMillis = 50;
        while (!closed) {
            byte[][] names;
            Handler handler = new Handler();
            synchronized (lock) {
                while (channels.isEmpty() && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                List<byte[]> all = new java.util.ArrayList<>();
                all.add(anchor);
                channels.values().forEach(c -> all.add(c.name));
                names = all.toArray(byte[][]::new);
                active = handler;
            }
            try {
                client.subscribe(handler, names);
                backoffMillis = 50;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                down = true;
                if (handler.confirmedAny) {
                    backoffMillis = 50; // it was up: this is a new outage
                }
                LOG.warn("terminal notifications connection lost ({}); resubscribing in {} ms", e.getMessage(), backoffMillis);
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException ie) {
                    return;
                }
                backoffMillis = Math.min(backoffMillis * 2, 1000);
            } finally {
                synchronized (lock) {
                    active = null;
                }
            }
        }
    }

    /**
     * Pings the subscribed connection: keeps it under the client's blocking read timeout while no
     * job finishes, and makes a silently dead connection fail (and come back) within seconds.
     */
    private void keepAlive() {
        while (!closed) {
            synchronized (lock) {
                try {
                    lock.wait(PING_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
                if (!closed && active != null && active.isSubscribed()) {
                    try {
                        active.ping();
                    } catch (RuntimeException e) {
                        LOG.debug("ping on a failing connection; the subscriber reconnects", e);
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
            if (active != null && active.isSubscribed()) {
                try {
                    active.unsubscribe();
                } catch (RuntimeException e) {
                    LOG.debug("unsubscribe at close", e);
                }
            }
        }
        Thread t;
        synchronized (lock) {
            t = thread;
        }
        if (t != null) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static final class Channel {
        final byte[] name;
        final List<TerminalListener> listeners = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> confirmed = new CompletableFuture<>();

        Channel(byte[] name) {
            this.name = name;
        }
    }

    private final class Handler extends BinaryJedisPubSub {
        volatile boolean confirmedAny;

        @Override
        public void onSubscribe(byte[] channelName, int subscribedChannels) {
            confirmedAny = true;
            down = false;
            Channel channel = channels.get(ByteBuffer.wrap(channelName));
            if (channel != null) {
                channel.confirmed.complete(null);
                for (TerminalListener l : channel.listeners) {
                    try {
                        l.onResubscribed();
                    } catch (RuntimeException e) {
                        LOG.warn("terminal listener failed in onResubscribed", e);
                    }
                }
            }
            // a channel added while this connection was being set up is subscribed here
            synchronized (lock) {
                for (Channel c : channels.values()) {
                    if (!c.confirmed.isDone() && c != channel) {
                        subscribe(c.name);
                    }
                }
            }
        }

        @Override
        public void onMessage(byte[] channelName, byte[] message) {
            Channel channel = channels.get(ByteBuffer.wrap(channelName));
            if (channel == null) {
                return;
            }
            JobSnapshot snapshot;
            try {
                snapshot = Replies.publishedSnapshot(message);
            } catch (RuntimeException e) {
                LOG.warn("ignoring a malformed terminal notification on {}", new String(channelName, java.nio.charset.StandardCharsets.UTF_8), e);
                return;
            }
            dispatch(channel, snapshot);
        }
    }
}
