package dev.jobqueue.benchmarks;

/**
 * The peers' ~100-byte JSON payload: {@code {"i":123,"user":"user-123","kind":"bench","data":"xxxx…"}},
 * padded with {@code x} so that the JSON is 100 bytes (like {@code makePayload} in the peers' common.mjs).
 *
 * <pre>{@code
 * queue.enqueue("job-7", BenchPayload.of(7));
 * }</pre>
 */
public record BenchPayload(int i, String user, String kind, String data) {
    private static final int TARGET_JSON_LENGTH = 100;

    public static BenchPayload of(int i) {
        String user = "user-" + i;
        String base = "{\"i\":" + i + ",\"user\":\"" + user + "\",\"kind\":\"bench\",\"data\":\"\"}";
        return new BenchPayload(i, user, "bench", "x".repeat(Math.max(0, TARGET_JSON_LENGTH - base.length())));
    }
}
