package dev.jobqueue.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How Java values become script arguments (ARGV strings), shared by the script classes, and the
 * head every script starts with: ARGV[1] key base, ARGV[2] now ('' = Redis TIME), ARGV[3] physical
 * expiry slack (see prelude.lua).
 */
final class ScriptArgs {
    /** Physical expiry margin when a test clock is injected: logical expiry (the clock) decides. */
    private static final long INJECTED_CLOCK_SLACK_MILLIS = Duration.ofDays(1).toMillis();
    /** Durations are capped so every deadline stays an exact integer in Lua's doubles. */
    private static final long MAX_MILLIS = Duration.ofDays(365L * 1000).toMillis();
    static final byte[] EMPTY = new byte[0];
    static final byte[] ZERO = ascii(0);

    private final java.time.Clock clock;
    private final byte[] slack;

    /** @param clock the injected clock (a testing aid), or null for the Redis server's TIME */
    ScriptArgs(java.time.Clock clock) {
        this.clock = clock;
        this.slack = ascii(clock == null ? 0 : INJECTED_CLOCK_SLACK_MILLIS);
    }

    /** ARGV[1..3] of every script, then {@code args}. */
    List<byte[]> head(KeySpace keys, byte[]... args) {
        List<byte[]> head = new ArrayList<>(3 + args.length);
        head.add(keys.baseBytes());
        head.add(clock == null ? EMPTY : ascii(clock.millis()));
        head.add(slack);
        head.addAll(List.of(args));
        return head;
    }

    /** A positive duration in ms (at least 1), capped; '' for null (the scripts' "use the job's own"). */
    static byte[] optionalMillis(Duration d) {
        return d == null ? EMPTY : positiveMillis(d);
    }

    static byte[] positiveMillis(Duration d) {
        return ascii(Math.max(1, millis(d)));
    }

    static long millis(Duration d) {
        if (d.compareTo(Duration.ofMillis(MAX_MILLIS)) > 0) {
            return MAX_MILLIS;
        }
        if (d.compareTo(Duration.ofMillis(-MAX_MILLIS)) < 0) {
            return -MAX_MILLIS;
        }
        return d.toMillis();
    }

    /** Identifies one call, so that a resend after a lost reply is recognised by the script. */
    static byte[] nonce() {
        return ascii(ThreadLocalRandom.current().nextLong());
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] ascii(long n) {
        return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
    }
}
