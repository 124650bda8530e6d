package dev.jobqueue.redis;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The encoding of a job's metadata in its hash field {@code md}: per entry
 * {@code <key length>:<key><value length>:<value>}, lengths in UTF-8 bytes, in the map's iteration
 * order. Only the client reads and writes it (the scripts store it as given), so it costs the
 * scripts nothing; an empty map is no field at all.
 */
final class MetadataCodec {
    private MetadataCodec() {
    }

    /** The field's value, or an empty array for an empty map (the scripts then write no field). */
    static byte[] encode(Map<String, String> metadata) {
        if (metadata.isEmpty()) {
            return ScriptArgs.EMPTY;
        }
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            append(out, e.getKey());
            append(out, e.getValue());
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void append(StringBuilder out, String s) {
        out.append(s.getBytes(StandardCharsets.UTF_8).length).append(':').append(s);
    }

    /** The map back from {@link #encode}; the empty map for null (no field). */
    static Map<String, String> decode(byte[] field) {
        if (field == null || field.length == 0) {
            return Map.of();
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        int[] at = {0};
        while (at[0] < field.length) {
            String key = next(field, at);
            metadata.put(key, next(field, at));
        }
        return metadata;
    }

    private static String next(byte[] field, int[] at) {
        int colon = at[0];
        int length = 0;
        while (field[colon] != ':') {
            length = length * 10 + (field[colon] - '0');
            colon++;
        }
        String s = new String(field, colon + 1, length, StandardCharsets.UTF_8);
        at[0] = colon + 1 + length;
        return s;
    }
}
