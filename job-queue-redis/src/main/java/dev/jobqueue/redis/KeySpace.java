package dev.jobqueue.redis;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The key names of one queue. Every key shares the hash tag {@code {<queue>}}, so each script
 * touches one Cluster slot. A queue name made only of safe characters is used as is (readable
 * keys); any other name is written as {@code =} plus the base64url of its UTF-8 bytes, which can
 * neither contain a brace nor collide with a plain name (plain names have no {@code =}).
 */
final class KeySpace {
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    static final String SLOT_GUARD = "slot-guard";

    /**
     * The fixed keys, in the order the scripts read them as KEYS[1..10]. The last, the slot guard,
     * is declared by every call and never written: while a Cluster slot is being migrated, a
     * declared key missing from the source makes Redis refuse the call (TRYAGAIN or ASK) before
     * the script runs. So no script runs on a half-moved slot, where it could find some of its job
     * records gone after it had written others; the client retries until the move is over.
     */
    static final List<String> FIXED_SUFFIXES = List.of(
            "ready", "delayed", "failing", "leases", "seq", "wake", "completed", "failed", "cancelled", SLOT_GUARD);
    private static final int WAKE_INDEX = 5;

    private final String base;
    private final byte[] baseBytes;
    private final List<byte[]> fixedKeys;
    private final List<byte[]> withPauseFlag;
    private final List<byte[]> claimKeys;
    private final List<byte[]> limitsKeys;
    private final List<byte[]> throttleKeys;
    private final List<byte[]> scheduleKeys;

    KeySpace(String prefix, String queue) {
        this.base = prefix + ":{" + encodeQueueName(queue) + "}:";
        this.baseBytes = bytes(base);
        this.fixedKeys = FIXED_SUFFIXES.stream().map(s -> bytes(base + s)).toList();
        List<byte[]> keys = new java.util.ArrayList<>(fixedKeys);
        keys.add(bytes(base + "paused"));
        this.withPauseFlag = List.copyOf(keys);
        this.claimKeys = withSuffixes(withPauseFlag, "throttle", "limits", "rate");
        this.limitsKeys = withSuffixes(fixedKeys, "limits", "rate");
        this.throttleKeys = withSuffixes(fixedKeys, "throttle");
        this.scheduleKeys = withSuffixes(fixedKeys, "sched:def", "sched:meta", "sched:due");
    }

    private List<byte[]> withSuffixes(List<byte[]> first, String... suffixes) {
        List<byte[]> keys = new java.util.ArrayList<>(first);
        for (String suffix : suffixes) {
            keys.add(bytes(base + suffix));
        }
        return List.copyOf(keys);
    }

    static String encodeQueueName(String queue) {
        if (PLAIN_NAME.matcher(queue).matches()) {
            return queue;
        }
        return "=" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(queue));
    }

    /** "{@code <prefix>:{<queue>}:}": what every key of the queue starts with. */
    String base() {
        return base;
    }

    /** {@link #base()} as UTF-8, ARGV[1] of every script. */
    byte[] baseBytes() {
        return baseBytes;
    }

    List<byte[]> fixedKeys() {
        return fixedKeys;
    }

    String key(String suffix) {
        return base + suffix;
    }

    /**
     * The fixed keys and then, as KEYS[11], the queue's pause flag (a string key that exists while
     * the queue is paused): the keys of the scripts that read or write the flag (claim, pause).
     * Only those declare it, so the other scripts keep their KEYS (the lock scripts' KEYS[11] is
     * the lock).
     */
    List<byte[]> keysWithPauseFlag() {
        return withPauseFlag;
    }

    /**
     * The claim script's keys: {@link #keysWithPauseFlag()}, then the throttle (KEYS[12]), the
     * limits (KEYS[13]) and the rate log (KEYS[14]); see claim.lua.
     */
    List<byte[]> claimKeys() {
        return claimKeys;
    }

    /** The fixed keys, then the limits (KEYS[11]) and the rate log (KEYS[12]); see limits.lua. */
    List<byte[]> limitsKeys() {
        return limitsKeys;
    }

    /** The fixed keys, then the throttle (KEYS[11]); see throttle.lua. */
    List<byte[]> throttleKeys() {
        return throttleKeys;
    }

    /**
     * The fixed keys, then the schedules' definitions (a hash, KEYS[11]), their versions and next
     * fire times (a hash, KEYS[12]) and their index by next fire time (a sorted set, KEYS[13]);
     * see schedule_upsert.lua.
     */
    List<byte[]> scheduleKeys() {
        return scheduleKeys;
    }

    byte[] wakeKey() {
        return fixedKeys.get(WAKE_INDEX);
    }

    /** The job's hash: {@link #hexId} of the id after {@code <base>j:}, exactly as the scripts build it. */
    String jobKey(String jobId) {
        return base + "j:" + HEX.formatHex(bytes(jobId));
    }

    /**
     * What the scripts get instead of a job id: the hex of its UTF-8 bytes (lower case), used as
     * the job key's suffix and as the member of every index. It can never name another key, and
     * the scripts need not encode ids themselves (that cost more Redis CPU than most commands).
     */
    static byte[] hexId(String jobId) {
        byte[] raw = bytes(jobId);
        byte[] out = new byte[raw.length * 2];
        for (int i = 0; i < raw.length; i++) {
            out[2 * i] = HEX_DIGITS[(raw[i] >> 4) & 0xF];
            out[2 * i + 1] = HEX_DIGITS[raw[i] & 0xF];
        }
        return out;
    }

    /** The job id back from {@link #hexId} (as the scripts reply it). */
    static String idOfHex(byte[] hex) {
        byte[] raw = new byte[hex.length / 2];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) ((Character.digit(hex[2 * i], 16) << 4) | Character.digit(hex[2 * i + 1], 16));
        }
        return new String(raw, StandardCharsets.UTF_8);
    }

    String lockKey(String lockName) {
        return base + "lock:" + HEX.formatHex(bytes(lockName));
    }

    byte[] channel() {
        return bytes(base + "terminal");
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
