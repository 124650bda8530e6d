package dev.jobqueue.redis;

import java.util.ArrayDeque;
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
 * claim script again. Callers wait on a monitor, so an interrupt ends their wait at once (unless
 * an enqueue is already claiming for them, see {@link #reserve}).
 *
 * <p>A claimer that found its queue paused waits apart ({@link #awaitResume}): wake tokens of
 * enqueues and requeues pass it by (it would only find the queue paused again), and an enqueue
 * never claims for it; only a resume token ({@code r}, pushed by pause.lua when the queue is
 * resumed in any process) or {@link #resumed} wakes it, together with every other claimer
 * waiting out the pause here.
 *
 * <p>An enqueue in this process may also claim for an idle claimer: it {@link #reserve reserves}
 * one, sends that claimer's claim in the same pipeline right after its enqueue (one round trip
 * instead of two, and Redis runs them in order) and {@link #deliver delivers} the reply. A reserved
 * claimer does not leave until the reply is delivered, so no claimed job is left without a holder.
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
     * Waits up to {@code millis} for a wake token of the queue, or for the reply of a claim that an
     * enqueue ran for this waiter.
     *
     * @return the claim script's reply when an enqueue claimed for this waiter; {@link #WOKEN} when
     *         woken by a token (or when that claim failed: the caller claims again itself);
     *         {@code null} on timeout
     */
    Object await(KeySpace keys, ClaimRequest request, long millis) throws InterruptedException {
        return waiters(keys).await(request, millis);
    }

    /**
     * The count of resumes of the queue seen here, taken before a claim that may find the queue
     * paused: {@link #awaitResume} with it returns at once if a resume arrived meanwhile.
     */
    long resumeMark(KeySpace keys) {
        return waiters(keys).resumeMark();
    }

    /**
     * Waits up to {@code millis} for the queue to be resumed after {@code mark} (a resume token
     * from any process, or {@link #resumed} here); enqueues do not end this wait. A resume whose
     * tokens were gone before this process listened (a claim elsewhere emptied the wake list) is
     * noticed by the caller's next claim, at the latest after its maxWait.
     *
     * @return true when resumed, false on timeout or close
     */
    boolean awaitResume(KeySpace keys, long mark, long millis) throws InterruptedException {
        return waiters(keys).awaitResume(mark, millis);
    }

    /** Ends the waits of this process's claimers that wait out a pause of the queue (it was resumed here). */
    void resumed(KeySpace keys) {
        QueueWaiters w = queues.get(keys.base());
        if (w != null) {
            w.resume();
        }
    }

    /**
     * Takes one idle claimer of the queue (first come, first served) that will wait for the reply of
     * a claim made on its behalf, or null when none waits. The caller must {@link #deliver} to it.
     */
    Waiter reserve(KeySpace keys) {
        QueueWaiters w = queues.get(keys.base());
        // read without the lock: every enqueue asks, and producers must not queue up on the monitor
        // when no claimer waits (one arriving just now still gets the enqueue's wake token)
        return w == null || w.idleCount == 0 ? null : w.reserve();
    }

    /** Hands a reserved claimer the reply of its claim, or null when that call failed. */
    void deliver(Waiter waiter, Object claimReply) {
        waiter.owner.deliver(waiter, claimReply);
    }

    /** Passes a wake-up to another idle claimer here (the caller took a full batch; more may be ready). */
    void wakeAnother(KeySpace keys) {
        QueueWaiters w = queues.get(keys.base());
        if (w != null && w.idleCount > 0) {
            w.grant();
        }
    }

    /** How many claimers of the queue wait here now (reserved ones included); for tests. */
    int waiting(KeySpace keys) {
        QueueWaiters w = queues.get(keys.base());
        if (w == null) {
            return 0;
        }
        synchronized (w) {
            return w.waiting;
        }
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

    /** The claim an idle claimer would make when woken: what an enqueue needs to make it for it. */
    record ClaimRequest(byte[] workerId, byte[] max, byte[] leaseMillis) {
    }

    /** The wake token a resume pushes (see pause.lua); every other token is '1'. */
    private static boolean isResumeToken(byte[] token) {
        return token.length == 1 && token[0] == 'r';
    }

    /** Returned by {@link #await} when the caller should run its claim again. */
    static final Object WOKEN = new Object();

    /** One idle claimer: waiting, reserved by an enqueue that claims for it, or done. */
    static final class Waiter {
        final ClaimRequest request;
        private final QueueWaiters owner;
        private boolean reserved;
        private boolean delivered;
        private Object reply;

        private Waiter(ClaimRequest request, QueueWaiters owner) {
            this.request = request;
            this.owner = owner;
        }
    }

    private final class QueueWaiters {
        private final KeySpace keys;
        private final ArrayDeque<Waiter> idle = new ArrayDeque<>();
        /** {@code idle.size()}, readable without the lock. */
        private volatile int idleCount;
        private int waiting;
        private int tokens;
        private boolean listening;
        /** Counts resumes seen here; a paused waiter leaves when it changes. */
        private long resumes;

        QueueWaiters(KeySpace keys) {
            this.keys = keys;
        }

        synchronized Object await(ClaimRequest request, long millis) throws InterruptedException {
            if (closed) {
                return null;
            }
            Waiter me = new Waiter(request, this);
            idle.addLast(me);
            idleCount = idle.size();
            waiting++;
            try {
                startListening();
                long deadline = System.nanoTime() + millis * 1_000_000L;
                while (!me.reserved && tokens == 0 && !closed) {
                    long left = (deadline - System.nanoTime()) / 1_000_000L;
                    if (left <= 0) {
                        return null;
                    }
                    try {
                        wait(left);
                    } catch (InterruptedException e) {
                        if (!me.reserved) {
                            throw e;
                        }
                        Thread.currentThread().interrupt(); // kept for the caller; the claim is already under way
                    }
                }
                if (me.reserved) {
                    return awaitDelivery(me);
                }
                if (tokens == 0) {
                    return null;
                }
                tokens--;
                return WOKEN;
            } finally {
                idle.remove(me);
                idleCount = idle.size();
                waiting--;
            }
        }

        synchronized long resumeMark() {
            return resumes;
        }

        synchronized boolean awaitResume(long seen, long millis) throws InterruptedException {
            if (closed) {
                return false;
            }
            waiting++; // keeps the listener listening; never in idle, so no work token or enqueue claim reaches it
            try {
                startListening();
                long deadline = System.nanoTime() + millis * 1_000_000L;
                while (resumes == seen && !closed) {
                    long left = (deadline - System.nanoTime()) / 1_000_000L;
                    if (left <= 0) {
                        return false;
                    }
                    wait(left);
                }
                return resumes != seen;
            } finally {
                waiting--;
            }
        }

        synchronized void resume() {
            resumes++;
            notifyAll();
        }

        private void startListening() {
            if (!listening) {
                listening = true;
                threads.newThread(this::listen).start();
            }
        }

        /** A reserved waiter stays until its claim's reply arrives, whatever interrupts or closes. */
        private Object awaitDelivery(Waiter me) {
            boolean interrupted = false;
            while (!me.delivered) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return me.reply == null ? WOKEN : me.reply;
        }

        synchronized Waiter reserve() {
            Waiter w = idle.pollFirst();
            idleCount = idle.size();
            if (w != null) {
                w.reserved = true; // it notices at its next wake-up; the delivery wakes it in any case
            }
            return w;
        }

        synchronized void deliver(Waiter w, Object reply) {
            w.reply = reply;
            w.delivered = true;
            notifyAll();
        }

        /** One more waiter may proceed; tokens beyond the number of waiters are dropped (they are only hints). */
        synchronized void grant() {
            if (tokens < idle.size()) {
                tokens++;
                notifyAll();
            }
        }

        private synchronized boolean keepListening() {
            if (waiting == 0 || closed) {
                listening = false;
                return false;
            }
            return true;
        }

        /**
         * What to do with a work token ('1'): hand it to an idle claimer here; drop it when only
         * reserved claimers (they get their claim's reply anyway; pushing it back would have this
         * thread pop it again at once) or claimers waiting out a pause (the queue is paused for
         * every process) are here; else push it back for another process.
         */
        private synchronized boolean keepWorkToken() {
            if (!idle.isEmpty()) {
                grant();
                return true;
            }
            return waiting > 0;
        }

        /** A resume token: ends every pause wait here and wakes one idle claimer (work may be waiting). */
        private synchronized void resumeToken() {
            resume();
            if (!idle.isEmpty()) {
                grant();
            }
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
                    if (isResumeToken(token.getValue())) {
                        resumeToken(); // one per blocked listener: not given back
                    } else if (!keepWorkToken()) {
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
