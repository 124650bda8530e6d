package dev.jobqueue.internal;

import dev.jobqueue.Backoff;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.slf4j.Logger;

/**
 * The job metadata entries the library itself writes at enqueue and reads in the worker: keys
 * starting with {@value #PREFIX}, which user metadata may not use. Values are compact strings:
 * <ul>
 *   <li>{@value #TIMEOUT}: an ISO-8601 duration, e.g. {@code PT30S};</li>
 *   <li>{@value #BACKOFF}: {@code base,factor,max,jitter} with ISO-8601 durations and decimal
 *       numbers, e.g. {@code PT1S,2.0,PT5M,0.2}.</li>
 * </ul>
 * A value the worker cannot decode (written by a newer or broken producer) gives the queue's
 * default and a WARN, never a failed job.
 */
public final class ReservedMetadata {
    /** Prefix of every reserved key. */
    public static final String PREFIX = "jobqueue.";
    /** The job's execution timeout. */
    public static final String TIMEOUT = PREFIX + "timeout";
    /** The job's retry backoff. */
    public static final String BACKOFF = PREFIX + "backoff";

    private ReservedMetadata() {
    }

    /** Whether {@code key} is reserved for the library. */
    public static boolean isReserved(String key) {
        return key.startsWith(PREFIX);
    }

    public static String encodeTimeout(Duration timeout) {
        return timeout.toString();
    }

    /** The timeout; throws IllegalArgumentException when malformed or not positive. */
    public static Duration decodeTimeout(String value) {
        Duration d = parseDuration(value, "timeout");
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("timeout must be > 0, got " + value);
        }
        return d;
    }

    public static String encodeBackoff(Backoff b) {
        return b.base() + "," + b.factor() + "," + b.max() + "," + b.jitter();
    }

    /** The backoff; throws IllegalArgumentException when malformed or out of range. */
    public static Backoff decodeBackoff(String value) {
        String[] parts = value.split(",", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("backoff must be base,factor,max,jitter, got " + value);
        }
        Duration base = parseDuration(parts[0], "backoff base");
        Duration max = parseDuration(parts[2], "backoff max");
        double factor;
        double jitter;
        try {
            factor = Double.parseDouble(parts[1]);
            jitter = Double.parseDouble(parts[3]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("backoff factor and jitter must be numbers, got " + value, e);
        }
        return Backoff.exponential(base, factor, max, jitter);
    }

    private static Duration parseDuration(String value, String what) {
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(what + " must be an ISO-8601 duration, got " + value, e);
        }
    }

    /** The job's own timeout, else {@code fallback} (null: none); a bad value logs a WARN. */
    public static Duration timeoutOf(Map<String, String> metadata, Duration fallback, String jobId, Logger log) {
        String v = metadata.get(TIMEOUT);
        if (v == null) {
            return fallback;
        }
        try {
            return decodeTimeout(v);
        } catch (RuntimeException e) {
            log.warn("job {}: cannot decode metadata {}={} ({}); using the queue's timeout {}", jobId, TIMEOUT, v,
                    e.getMessage(), fallback);
            return fallback;
        }
    }

    /** The job's own backoff, else {@code fallback}; a bad value logs a WARN. */
    public static Backoff backoffOf(Map<String, String> metadata, Backoff fallback, String jobId, Logger log) {
        String v = metadata.get(BACKOFF);
        if (v == null) {
            return fallback;
        }
        try {
            return decodeBackoff(v);
        } catch (RuntimeException e) {
            log.warn("job {}: cannot decode metadata {}={} ({}); using the queue's backoff", jobId, BACKOFF, v,
                    e.getMessage());
            return fallback;
        }
    }
}
