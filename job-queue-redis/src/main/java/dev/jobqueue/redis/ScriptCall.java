package dev.jobqueue.redis;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * One caller's script invocation waiting in the {@link ScriptExecutor}. A batchable call carries
 * {@code itemCount} items of fixed width after its head arguments; calls with the same script,
 * keys and head are merged into one EVALSHA whose reply holds one element per item, and each
 * caller gets its own slice. A plain call is sent as is and gets the raw reply.
 */
final class ScriptCall {
    final LuaScript script;
    final List<byte[]> keys;
    final List<byte[]> head;
    final List<byte[]> items;
    final int itemCount;
    final boolean batchable;
    /** Size of the item arguments, which merging keeps bounded per script run (summed once, read per merge). */
    final long itemBytes;
    /**
     * A key that only this call touches (the job's hash, a lock), checked when Redis answers
     * WRONGTYPE; computed only then (a job key costs a hex encoding of the id).
     */
    final Supplier<String> ownKey;
    final String ownKeyType;
    private final CompletableFuture<Object> reply = new CompletableFuture<>();

    private ScriptCall(LuaScript script, List<byte[]> keys, List<byte[]> head, List<byte[]> items, int itemCount,
                       boolean batchable, Supplier<String> ownKey, String ownKeyType) {
        this.script = script;
        this.keys = keys;
        this.head = head;
        this.items = items;
        this.itemCount = itemCount;
        this.batchable = batchable;
        this.ownKey = ownKey;
        this.ownKeyType = ownKeyType;
        long bytes = 0;
        for (byte[] item : items) {
            bytes += item.length;
        }
        this.itemBytes = bytes;
    }

    static ScriptCall plain(LuaScript script, List<byte[]> keys, List<byte[]> args, Supplier<String> ownKey,
                            String ownKeyType) {
        return new ScriptCall(script, keys, args, List.of(), 0, false, ownKey, ownKeyType);
    }

    static ScriptCall batch(LuaScript script, List<byte[]> keys, List<byte[]> head, List<byte[]> items, int itemCount,
                            Supplier<String> ownKey) {
        return new ScriptCall(script, keys, head, items, itemCount, true, ownKey, "hash");
    }

    /** The reply, as a future that completes (on a flushing thread) when Redis answered or the call failed. */
    CompletableFuture<Object> reply() {
        return reply;
    }

    void succeed(Object value) {
        reply.complete(value);
    }

    void fail(RuntimeException error) {
        reply.completeExceptionally(error);
    }

    /** The reply, or null when the call failed (for a caller that has a fallback, not an error to report). */
    Object awaitQuietly() {
        try {
            return reply.join();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            return null;
        }
    }

    Object await() {
        try {
            return reply.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw e;
        }
    }
}
