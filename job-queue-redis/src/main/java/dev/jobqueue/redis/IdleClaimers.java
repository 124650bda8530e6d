package dev.jobqueue.redis;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.util.KeyValue;

/**
 * Where idle claimers wait for work without polling. Enqueues (and requeues) push wake tokens to
 * the queue's wake list; per queue with waiters, one listener thread BLPOPs that list on its own
 * connection and hands each token to one waiting claimer in this process, which then runs the
 * claim script again. Callers wait on a monitor, so an interrupt ends their wait at once.
 */
final class IdleClaimers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IdleClaimers.class);
    /** How long one BLPOP blocks; bounds how long a listener outlives its last waiter. */
    private static final double BLOCK_SECONDS = 1.0;

    private final UnifiedJedis client;
    private final ThreadFactory threads;
    private final Map<String, QueueWaiters> queues = new ConcurrentHashMap<>();
    private volatile boolean closed;

    IdleClaimers(UnifiedJedis client, ThreadFactory threads) {
        this.client = client;
        this.threads = threads;
    }

    /**
     * Waits up to {@code millis} for a wake token of the queue.
     *
     * @return true when woken by a token, false on timeout
     */
    boolean await(KeySpace keys, long millis) throws InterruptedException {
        return waiters(keys).await(millis);
    }

    /** Passes a wake-up to another idle claimer here (the caller took a full batch; more may be ready). */
    void wakeAnother(KeySpace keys) {
        waiters(keys).grant();
    }

    private QueueWaiters waiters(KeySpace keys) {
        return queues.computeIfAbsent(keys.base(), b -> new QueueWaiters(keys));
    }

    @Override
    public void close() {
        closed = true;
        for (QueueWaiters w : queues.values()) {
            synchronized (w) {
                w.notifyAll();
            }
        }
    }

    private final class QueueWaiters {
        private final KeySpace keys;
        private int waiting;
        private int tokens;
        private boolean listening;

        QueueWaiters(KeySpace keys) {
            this.keys = keys;
        }

        synchronized boolean await(long millis) throws InterruptedException {
            if (closed) {
                return false;
            }
            waiting++;
            try {
                if (!listening) {
                    listening = true;
                    threads.newThread(this::listen).start();
                }
                long deadline = System.nanoTime() + millis * 1_000_000L;
                while (tokens == 0 && !closed) {
                    long left = (deadline - System.nanoTime()) / 1_000_000L;
                    if (left <= 0) {
                        return false;
                    }
                    wait(left);
                }
                if (tokens == 0) {
                    return false;
                }
                tokens--;
                return true;
            } finally {
                waiting--;
            }
        }

        /** One more waiter may proceed; tokens beyond the number of waiters are dropped (they are only hints). */
        synchronized void grant() {
            if (tokens < waiting) {
                tokens++;
                notify();
            }
        }

        private synchronized boolean keepListening() {
            if (waiting == 0 || closed) {
                listening = false;
                return false;
            }
            return true;
        }

        private synchronized boolean anyoneWaiting() {
            return waiting > 0;
        }

        private void listen() {
            long backoffMillis = 50;
            while (keepListening()) {
                try {
                    KeyValue<byte[], byte[]> token = client.blpop(BLOCK_SECONDS, keys.wakeKey());
                    backoffMillis = 50;
                    if (token == null) {
                        continue;
                    }
                    if (anyoneWaiting()) {
                        grant();
                    } else {
                        // our waiters left while we blocked: give the token back for another process
                        client.rpush(keys.wakeKey(), token.getValue());
                    }
                } catch (RuntimeException e) { // connection loss above all; nothing may end this thread early
                    if (closed) {
                        break;
                    }
                    LOG.debug("wake listener for {} lost its connection ({}); retrying in {} ms",
                            keys.base(), e.getMessage(), backoffMillis);
                    try {
                        Thread.sleep(backoffMillis);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                    backoffMillis = Math.min(backoffMillis * 2, 1000);
                }
            }
            synchronized (this) {
                listening = false;
            }
        }
    }
}
