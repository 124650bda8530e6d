package dev.jobqueue.benchmarks;

/**
 * The no-op handler's result, {@code {ok:true,i}} as in the peer scripts.
 *
 * <pre>{@code
 * .handler(job -> BenchResult.of(job.payload()))
 * }</pre>
 */
public record BenchResult(boolean ok, int i) {
    public static BenchResult of(BenchPayload payload) {
        return new BenchResult(true, payload.i());
    }
}
