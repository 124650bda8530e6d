package dev.jobqueue.benchmarks;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Latency summary with the peers' keys and percentile rule ({@code latencyStats} in common.mjs). */
final class LatencyStats {
    private LatencyStats() {
    }

    /** {@code latenciesMs} in any order; {@code wallMs} is the whole section's duration. */
    static Map<String, Object> of(double[] latenciesMs, double wallMs) {
        double[] s = latenciesMs.clone();
        Arrays.sort(s);
        double sum = 0;
        for (double v : s) {
            sum += v;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("calls", s.length);
        out.put("req_per_s", Json.rate(s.length, wallMs));
        out.put("wall_ms", Math.round(wallMs));
        out.put("p50_ms", Json.r2(percentile(s, 50)));
        out.put("p95_ms", Json.r2(percentile(s, 95)));
        out.put("p99_ms", Json.r2(percentile(s, 99)));
        out.put("max_ms", s.length == 0 ? null : Json.r2(s[s.length - 1]));
        out.put("mean_ms", s.length == 0 ? null : Json.r2(sum / s.length));
        return out;
    }

    static Double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return null;
        }
        int idx = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1));
        return sorted[idx];
    }
}
