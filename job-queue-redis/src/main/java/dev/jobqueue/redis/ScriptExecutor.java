package dev.jobqueue.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisMovedDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.exceptions.JedisRedirectionException;

/**
 * Runs script calls with automatic pipelining: concurrent callers' calls are coalesced into one
 * pipeline flush (one round trip), and batchable calls of the same script and queue into one
 * EVALSHA. A waiting caller that finds a flush slot free flushes every pending waiting call (its
 * own and others'), the rest wait for their own reply; a sequential caller therefore pays one
 * round trip and no thread hand-off. Async calls ({@link #submitAsync}) are flushed by one
 * background thread only, one flush after the other, which keeps them in issue order.
 *
 * <p>Each call stays atomic (each EVALSHA is one script run). Scripts are called by SHA and sent
 * in full (EVAL, which also caches them) only when the server answers NOSCRIPT, e.g. after a
 * restart. Connection errors, transient server states (LOADING, TRYAGAIN, ...) and cluster
 * redirections (MOVED after a reshard, which also refreshes the slot routing; ASK while a slot
 * moves) are retried with bounded exponential backoff for {@code retryWindow}; then the call fails with a
 * {@link RedisStorageException}. Every script is written so that a repeat after a lost reply is
 * harmless (fenced transitions recognise their own token, enqueue its own nonce).
 */
final class ScriptExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(ScriptExecutor.class);
    private static final int MAX_CALLS_PER_FLUSH = 2048;
    private static final int MAX_ITEMS_PER_EVAL = 256;
    /** Merging stops at this many argument bytes, so one script run stays short whatever the payloads. */
    static final long MAX_BYTES_PER_EVAL = 4L << 20;
    private static final List<String> TRANSIENT_ERRORS =
            List.of("LOADING", "BUSY", "TRYAGAIN", "CLUSTERDOWN", "MASTERDOWN", "READONLY", "NOREPLICAS");

    private final UnifiedJedis client;
    /** Where Redis is, for log and error messages: host:port or the cluster's seeds, never credentials. */
    private final String target;
    private final Duration retryWindow;
    /** Whether a flush is retrying after a failure: the warning is logged once per outage, not per flush. */
    private volatile boolean retrying;
    private final ConcurrentLinkedQueue<ScriptCall> pending = new ConcurrentLinkedQueue<>();
    /**
     * Async calls, flushed only by the {@link #asyncFlusher}, one flush after the other. Flushes
     * run on several connections at once; if any thread could carry async calls in its flush, a
     * later call of one producer could reach Redis before an earlier one that another thread's
     * flush carries (issue order is promised for enqueueAsync).
     */
    private final ConcurrentLinkedQueue<ScriptCall> pendingAsync = new ConcurrentLinkedQueue<>();
    private final Semaphore flushSlots;
    private volatile boolean closed;

    /**
     * Per thread, the replies of its latest async calls (not the calls: a thread that never makes
     * another call keeps no payload alive). The thread's next waiting call waits for them first:
     * flushes run on several connections at once, so without this a cancel made right after an
     * enqueueAsync of the same job could reach Redis first.
     */
    private final ThreadLocal<List<CompletableFuture<Object>>> asyncInFlight = new ThreadLocal<>();

    private final ThreadFactory threads;
    /** Flushes calls that no caller flushes itself ({@link #submitAsync}); started on first use. */
    private Thread asyncFlusher;

    ScriptExecutor(UnifiedJedis client, String target, int flushConnections, Duration retryWindow, ThreadFactory threads) {
        this.client = client;
        this.target = target;
        this.flushSlots = new Semaphore(flushConnections);
        this.retryWindow = retryWindow;
        this.threads = threads;
    }

    /** After close, pending and new calls fail at once instead of retrying against a closed client. */
    void close() {
        closed = true;
        Thread flusher;
        synchronized (this) {
            flusher = asyncFlusher;
        }
        if (flusher != null) {
            LockSupport.unpark(flusher);
        }
    }

    /**
     * Queues the calls without waiting: the background flusher sends them (with the other async
     * calls pending), so one caller can keep many calls in flight and they still share round
     * trips. The calls' futures complete on that thread.
     */
    void submitAsync(List<ScriptCall> calls) {
        if (closed) {
            calls.forEach(c -> c.fail(new IllegalStateException("RedisStorage is closed")));
            return;
        }
        List<CompletableFuture<Object>> replies = new ArrayList<>(calls.size());
        for (ScriptCall c : calls) {
            replies.add(c.reply());
        }
        asyncInFlight.set(replies);
        pendingAsync.addAll(calls);
        LockSupport.unpark(asyncFlusher());
        if (closed) { // the flusher may have failed the leftovers already, before these were added
            ScriptCall c;
            while ((c = pendingAsync.poll()) != null) {
                c.fail(new IllegalStateException("RedisStorage is closed"));
            }
        }
    }

    /** Keeps program order for a thread whose async calls may still be in flight (see {@link #asyncInFlight}). */
    private void awaitOwnAsyncCalls() {
        List<CompletableFuture<Object>> before = asyncInFlight.get();
        if (before == null) {
            return;
        }
        asyncInFlight.remove();
        for (CompletableFuture<Object> reply : before) {
            if (!reply.isDone()) {
                try {
                    reply.join();
                } catch (CompletionException | CancellationException e) {
                    // its outcome is reported through its own future; only the order matters here
                }
            }
        }
    }

    private synchronized Thread asyncFlusher() {
        if (asyncFlusher == null) {
            asyncFlusher = threads.newThread(this::flushInBackground);
            asyncFlusher.start();
        }
        return asyncFlusher;
    }

    /**
     * The async calls' only flusher: each flush ends (replies read) before the next starts, so
     * they reach Redis in the order they were queued. It waits for a slot rather than leaving its
     * calls to a slot holder, which flushes only {@link #pending}.
     */
    private void flushInBackground() {
        while (!closed) {
            if (!pendingAsync.isEmpty()) {
                flushSlots.acquireUninterruptibly();
                try {
                    flushSome(pendingAsync);
                } finally {
                    flushSlots.release();
                }
            }
            // waiting calls that found every slot busy, or that an interrupted caller handed back
            drain();
            if (pendingAsync.isEmpty()) {
                LockSupport.park(this);
            }
        }
        for (ConcurrentLinkedQueue<ScriptCall> queue : List.of(pendingAsync, pending)) {
            ScriptCall c;
            while ((c = queue.poll()) != null) {
                c.fail(new IllegalStateException("RedisStorage is closed"));
            }
        }
    }

    /** Runs the call (pipelined with whatever else is pending) and returns its reply. */
    Object execute(ScriptCall call) {
        awaitOwnAsyncCalls();
        pending.add(call);
        drain();
        return call.await();
    }

    /**
     * {@link #execute}, but the wait for the reply ends when the thread is interrupted (the call
     * may still run; a claim's jobs then come back when their lease ends).
     */
    Object executeInterruptibly(ScriptCall call) throws InterruptedException {
        awaitOwnAsyncCalls();
        pending.add(call);
        drain();
        try {
            return call.reply().get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new RedisStorageException("Redis call failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Queues the calls in this order and flushes what is pending if a slot is free; the callers
     * await each call. Calls queued together by one thread are flushed in order, so on one
     * connection Redis runs them in that order (the rare split across two flushes only costs a
     * later call the sight of an earlier one's effect).
     */
    void submit(List<ScriptCall> calls) {
        awaitOwnAsyncCalls();
        pending.addAll(calls);
        drain();
    }

    /** Runs the calls in one go (one pipeline when they fit) and returns their replies in order. */
    List<Object> executeAll(List<ScriptCall> calls) {
        submit(calls);
        List<Object> replies = new ArrayList<>(calls.size());
        for (ScriptCall c : calls) {
            replies.add(c.await());
        }
        return replies;
    }

    private void drain() {
        // A slot holder re-checks the queue after releasing, so a call added while every slot was
        // busy is always flushed by someone.
        while (!pending.isEmpty() && !interruptedCaller() && flushSlots.tryAcquire()) {
            try {
                flushSome(pending);
            } finally {
                flushSlots.release();
            }
        }
        if (!pending.isEmpty() && interruptedCaller()) {
            // an interrupted caller leaves flushing (and retrying) to the flusher thread
            LockSupport.unpark(asyncFlusher());
        }
    }

    /** Flushes up to MAX_CALLS_PER_FLUSH calls from {@code queue}; the caller holds a slot. */
    private void flushSome(ConcurrentLinkedQueue<ScriptCall> queue) {
        List<ScriptCall> batch = new ArrayList<>();
        ScriptCall c;
        while (batch.size() < MAX_CALLS_PER_FLUSH && (c = queue.poll()) != null) {
            batch.add(c);
        }
        if (!batch.isEmpty()) {
            flush(batch);
        }
    }

    private void flush(List<ScriptCall> batch) {
        List<Invocation> todo = plan(batch);
        long start = System.nanoTime();
        long backoffMillis = 10;
        boolean interrupted = false;
        try {
            while (!todo.isEmpty()) {
                RuntimeException transientFailure = null;
                try {
                    send(todo);
                } catch (JedisException e) {
                    if (RedisErrors.isConfigurationError(e)) {
                        failAll(todo, RedisErrors.configurationError(e));
                        return;
                    }
                    transientFailure = e;
                }
                List<Invocation> again = new ArrayList<>();
                List<byte[]> movedKey = null;
                for (Invocation inv : todo) {
                    if (transientFailure != null) {
                        again.add(inv);
                    } else if (inv.error instanceof JedisNoScriptException) {
                        inv.sendSource = true;
                        inv.error = null;
                        again.add(inv);
                    } else if (inv.error != null && isTransient(inv.error)) {
                        // MOVED (the queue's slot was resharded to another master) is retried
                        // after the routing is refreshed
                        if (inv.error instanceof JedisMovedDataException) {
                            movedKey = inv.keys;
                        }
                        transientFailure = inv.error;
                        inv.error = null;
                        again.add(inv);
                    } else {
                        inv.deliver(this);
                    }
                }
                todo = again;
                if (todo.isEmpty()) {
                    if (retrying) {
                        retrying = false;
                        LOG.info("Redis at {} answers again", target);
                    }
                    return;
                }
                if (transientFailure == null) {
                    continue; // only NOSCRIPT: resend with the source at once
                }
                if (closed) {
                    failAll(todo, new IllegalStateException("RedisStorage is closed"));
                    return;
                }
                if (System.nanoTime() - start > retryWindow.toNanos()) {
                    failAll(todo, new RedisStorageException("Redis at " + target + " unavailable for longer than the"
                            + " retryWindow (" + retryWindow + "): " + transientFailure.getMessage(), transientFailure));
                    return;
                }
                if (movedKey != null) {
                    refreshRouting(movedKey);
                } else if (!retrying) {
                    retrying = true;
                    LOG.warn("Redis at {} does not answer ({}); retrying for up to {} (RedisStorage.Builder.retryWindow)",
                            target, transientFailure.getMessage(), retryWindow);
                }
                LOG.debug("Redis call failed ({}); retrying in {} ms", transientFailure.getMessage(), backoffMillis);
                // the pool (or a socket) may have swallowed the interrupt into the failure it reports
                interrupted |= causedByInterrupt(transientFailure) | sleepUninterruptibly(backoffMillis);
                if ((interrupted || Thread.currentThread().isInterrupted()) && !onFlusherThread()) {
                    // an interrupted caller (a claimer told to stop) must not spend the retry window
                    // here: the flusher thread retries these calls for their callers
                    handBack(todo);
                    return;
                }
                backoffMillis = Math.min(backoffMillis * 2, 1000);
            }
        } catch (RuntimeException e) {
            failAll(todo, new RedisStorageException("Redis call failed: " + e.getMessage(), e));
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static boolean causedByInterrupt(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException || t instanceof java.io.InterruptedIOException
                    && !(t instanceof java.net.SocketTimeoutException)) {
                return true;
            }
        }
        return false;
    }

    /** Queues the calls of a flush that its interrupted thread gives up, for the flusher thread to retry. */
    private void handBack(List<Invocation> todo) {
        for (Invocation inv : todo) {
            pending.addAll(inv.calls);
        }
        LockSupport.unpark(asyncFlusher());
    }

    /** Whether this thread is a caller told to stop (the flusher thread is never one: it flushes for others). */
    private boolean interruptedCaller() {
        return Thread.currentThread().isInterrupted() && !onFlusherThread();
    }

    private synchronized boolean onFlusherThread() {
        return Thread.currentThread() == asyncFlusher;
    }

    /**
     * Makes a cluster client re-read the slot map after a MOVED. A pipeline only reports the
     * redirection; a single routed command follows it and refreshes the client's slot cache, so
     * one cheap EXISTS on a key of the moved slot does it (on a standalone client it is harmless).
     */
    private void refreshRouting(List<byte[]> keys) {
        try {
            client.exists(keys.get(0));
        } catch (RuntimeException e) {
            LOG.debug("refreshing the cluster routing failed ({}); the retry will tell", e.getMessage());
        }
    }

    private void send(List<Invocation> todo) {
        try (AbstractPipeline pipeline = client.pipelined()) {
            List<Response<Object>> responses = new ArrayList<>(todo.size());
            for (Invocation inv : todo) {
                responses.add(inv.sendSource
                        ? pipeline.eval(inv.script.source(), inv.keys, inv.argv)
                        : pipeline.evalsha(inv.script.sha(), inv.keys, inv.argv));
            }
            pipeline.sync();
            for (int i = 0; i < todo.size(); i++) {
                Invocation inv = todo.get(i);
                try {
                    inv.reply = responses.get(i).get();
                    inv.error = null;
                } catch (JedisDataException e) {
                    inv.error = e;
                }
            }
        }
    }

    private static List<Invocation> plan(List<ScriptCall> batch) {
        List<Invocation> invocations = new ArrayList<>();
        Map<MergeKey, Invocation> open = new LinkedHashMap<>();
        for (ScriptCall call : batch) {
            if (!call.batchable) {
                invocations.add(new Invocation(call));
                continue;
            }
            MergeKey key = new MergeKey(call);
            Invocation inv = open.get(key);
            if (inv == null || inv.itemCount + call.itemCount > MAX_ITEMS_PER_EVAL
                    || inv.itemBytes + call.itemBytes > MAX_BYTES_PER_EVAL) {
                inv = new Invocation(call);
                open.put(key, inv);
                invocations.add(inv);
            } else {
                inv.merge(call);
            }
        }
        for (Invocation inv : invocations) {
            inv.seal();
        }
        return invocations;
    }

    private static void failAll(List<Invocation> invocations, RuntimeException error) {
        for (Invocation inv : invocations) {
            for (ScriptCall call : inv.calls) {
                call.fail(error);
            }
        }
    }

    /** Turns a server error into the exception the caller sees, naming the key a WRONGTYPE came from. */
    private RuntimeException translate(ScriptCall call, JedisDataException e) {
        return RedisErrors.translate(client, call, e);
    }

    /**
     * Whether the call did not run, or may be resent, and is worth retrying: a transient server
     * state, or a cluster redirection (MOVED: the slot was resharded; ASK: it is being moved).
     */
    private static boolean isTransient(JedisDataException e) {
        if (e instanceof JedisRedirectionException) {
            return true;
        }
        String m = String.valueOf(e.getMessage());
        for (String prefix : TRANSIENT_ERRORS) {
            if (m.startsWith(prefix)) {
                return true;
            }
        }
        // A script that met a key already moved to another node. The slot guard (see KeySpace)
        // keeps scripts from running on a half-moved slot, so this is not expected; if it comes,
        // the call is retried like the other redirections (every script is safe to resend).
        return m.contains("Script attempted to access a non local key");
    }

    /** Sleeps without giving up on an interrupt (others' calls are in this flush); reports whether one came. */
    private static boolean sleepUninterruptibly(long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        boolean interrupted = false;
        long left;
        while ((left = end - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
            interrupted |= Thread.interrupted();
        }
        return interrupted;
    }

    /**
     * Calls that may share one EVALSHA: same script, same keys, same head arguments. A queue's key
     * list is one shared object, so keys compare by identity; heads are short and compare by value.
     */
    private static final class MergeKey {
        private final LuaScript script;
        private final List<byte[]> keys;
        private final List<byte[]> head;
        private final int hash;

        MergeKey(ScriptCall call) {
            this.script = call.script;
            this.keys = call.keys;
            this.head = call.head;
            int h = 31 * System.identityHashCode(script) + System.identityHashCode(keys);
            for (byte[] part : head) {
                h = 31 * h + Arrays.hashCode(part);
            }
            this.hash = h;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof MergeKey m) || m.script != script || m.keys != keys || m.head.size() != head.size()) {
                return false;
            }
            for (int i = 0; i < head.size(); i++) {
                if (!Arrays.equals(m.head.get(i), head.get(i))) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** One EVALSHA in a pipeline, serving one plain call or several merged batchable calls. */
    private static final class Invocation {
        final LuaScript script;
        final List<byte[]> keys;
        final List<ScriptCall> calls = new ArrayList<>(1);
        List<byte[]> argv;
        int itemCount;
        long itemBytes;
        boolean sendSource;
        Object reply;
        JedisDataException error;

        Invocation(ScriptCall first) {
            this.script = first.script;
            this.keys = first.keys;
            this.calls.add(first);
            this.itemCount = first.itemCount;
            this.itemBytes = first.itemBytes;
        }

        void merge(ScriptCall call) {
            calls.add(call);
            itemCount += call.itemCount;
            itemBytes += call.itemBytes;
        }

        void seal() {
            ScriptCall first = calls.get(0);
            if (!first.batchable) {
                argv = first.head;
                return;
            }
            argv = new ArrayList<>(first.head.size() + 1 + calls.size() * first.items.size());
            argv.addAll(first.head);
            argv.add(Long.toString(itemCount).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            for (ScriptCall c : calls) {
                argv.addAll(c.items);
            }
        }

        void deliver(ScriptExecutor executor) {
            if (error != null) {
                for (ScriptCall c : calls) {
                    c.fail(executor.translate(c, error));
                }
                return;
            }
            if (!calls.get(0).batchable) {
                calls.get(0).succeed(reply);
                return;
            }
            List<?> perItem = (List<?>) reply;
            int offset = 0;
            for (ScriptCall c : calls) {
                c.succeed(new ArrayList<>(perItem.subList(offset, offset + c.itemCount)));
                offset += c.itemCount;
            }
        }
    }

    @Override
    public String toString() {
        return "ScriptExecutor" + Arrays.asList(flushSlots.availablePermits(), pending.size(), pendingAsync.size());
    }
}
