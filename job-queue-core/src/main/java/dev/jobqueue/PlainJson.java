package dev.jobqueue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * JSON for the two values a job most often carries that need no parser: {@code null} and a short
 * printable-ASCII string. Building a Jackson generator or parser per call costs more than the
 * value itself for these (hundreds of bytes of garbage per call), so {@link JacksonSerde} writes
 * and reads them here and leaves everything else to Jackson.
 *
 * <p>Each method answers only when its answer is exactly Jackson's (same bytes out, same value
 * in) and returns {@code null} otherwise, so that the caller falls back to Jackson:
 * <!-- snippet: plain-json -->
 * <pre>{@code
 * byte[] json = PlainJson.quoteAscii("order-42");   // "order-42" with quotes, or null when escapes are needed
 * String s = PlainJson.unquoteAscii(json);          // order-42, or null when Jackson must decide
 * }</pre>
 */
final class PlainJson {
    private static final byte QUOTE = '"';
    private static final byte BACKSLASH = '\\';
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    private PlainJson() {
    }

    /** True for exactly the four bytes {@code null}. */
    static boolean isNull(byte[] json) {
        return Arrays.equals(json, NULL);
    }

    /**
     * {@code value} as a JSON string when every character is printable ASCII other than a quote or
     * a backslash (nothing to escape); else null.
     */
    static byte[] quoteAscii(String value) {
        int n = value.length();
        byte[] out = new byte[n + 2];
        out[0] = QUOTE;
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (!plain(c)) {
                return null;
            }
            out[i + 1] = (byte) c;
        }
        out[n + 1] = QUOTE;
        return out;
    }

    /**
     * The string a JSON string literal stands for, when the literal spans all of {@code json} and
     * holds only printable ASCII other than quotes and backslashes (nothing to unescape); else null.
     */
    static String unquoteAscii(byte[] json) {
        if (json == null) {
            return null;
        }
        int n = json.length;
        if (n < 2 || json[0] != QUOTE || json[n - 1] != QUOTE) {
            return null;
        }
        for (int i = 1; i < n - 1; i++) {
            if (!plain((char) (json[i] & 0xFF))) {
                return null;
            }
        }
        return new String(json, 1, n - 2, StandardCharsets.ISO_8859_1);
    }

    /** Printable ASCII that JSON writes as itself inside a string. */
    private static boolean plain(char c) {
        return c >= 0x20 && c < 0x7F && c != QUOTE && c != BACKSLASH;
    }
}
