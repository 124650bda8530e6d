package dev.jobqueue.benchmarks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** Rounding and printing as the peers do ({@code r0}, {@code r2}, {@code rate} in common.mjs). */
final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }

    static Double r2(Double x) {
        return x == null ? null : Math.round(x * 100) / 100.0;
    }

    /** Events per second, rounded to a whole number. */
    static long rate(long events, double ms) {
        return Math.round(events / (ms / 1000));
    }

    static double millisBetween(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1e6;
    }

    static String line(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot print the result as JSON", e);
        }
    }
}
