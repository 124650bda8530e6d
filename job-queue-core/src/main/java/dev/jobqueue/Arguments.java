package dev.jobqueue;

import java.time.Duration;
import java.util.regex.Pattern;

/** The argument checks the builders and the queue share; each failure names what was wrong. */
final class Arguments {
    /** Queue names end up inside Redis hash tags and file names. */
    private static final Pattern QUEUE_NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private Arguments() {
    }

    static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    static void checkQueueName(String name) {
        check(name != null && QUEUE_NAME.matcher(name).matches(),
                "name must match [A-Za-z0-9._-]{1,128}, got " + (name == null ? null : "'" + name + "'"));
    }
}
