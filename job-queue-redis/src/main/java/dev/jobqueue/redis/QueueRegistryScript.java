package dev.jobqueue.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The Java side of queue_registry.lua: the set {@code <prefix>:queues} of every queue name this
 * storage's instances ever enqueued to or paused, which {@code queueNames} reads instead of
 * scanning the keyspace. {@link #add} registers a name (reply 1 when new), {@link #members} reads
 * them all. The set lives outside the queues' hash tags, so no job transition can write it; each
 * instance adds a name once and remembers that it did (see {@code RedisStorage.register}).
 */
final class QueueRegistryScript {
    private static final byte[] NO_CLOCK = ScriptArgs.ZERO;

    private final LuaScript lua;
    private final byte[] registryKey;
    private final byte[] prefix;

    QueueRegistryScript(String prelude, String keyPrefix) {
        this.lua = LuaScript.load("queue_registry", prelude);
        this.registryKey = KeySpace.bytes(registryKey(keyPrefix));
        this.prefix = KeySpace.bytes(keyPrefix);
    }

    /** The registry's key: beside the prefix's per-queue keys, which all carry a hash tag. */
    static String registryKey(String keyPrefix) {
        return keyPrefix + ":queues";
    }

    ScriptCall add(String queue) {
        return call(KeySpace.bytes(queue));
    }

    ScriptCall members() {
        return call(ScriptArgs.EMPTY);
    }

    private ScriptCall call(byte[] name) {
        String key = new String(registryKey, StandardCharsets.UTF_8);
        return ScriptCall.plain(lua, List.of(registryKey), List.of(prefix, NO_CLOCK, NO_CLOCK, name), () -> key, "set");
    }

    static List<String> decodeMembers(Object reply) {
        List<String> names = new ArrayList<>();
        for (Object member : Replies.list(reply)) {
            names.add(Replies.text(member));
        }
        return names;
    }
}
