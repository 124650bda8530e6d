package dev.jobqueue.benchmarks.jmh;

import dev.jobqueue.Serde;
import dev.jobqueue.benchmarks.BenchPayload;
import dev.jobqueue.benchmarks.BenchResult;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The default JSON serde on the benchmark's 100-byte payload and its result: every job pays one
 * payload serialize (enqueue), one payload deserialize (claim) and one result serialize (complete).
 *
 * <pre>{@code
 * benchmarks/jmh PayloadSerdeBenchmark
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PayloadSerdeBenchmark {
    private final Serde<BenchPayload> payloads = Serde.json(BenchPayload.class);
    private final Serde<BenchResult> results = Serde.json(BenchResult.class);
    private BenchPayload payload;
    private byte[] payloadJson;
    private BenchResult result;

    @Setup
    public void setUp() {
        payload = BenchPayload.of(12_345);
        payloadJson = payloads.serialize(payload);
        result = BenchResult.of(payload);
    }

    @Benchmark
    public byte[] serializePayload() {
        return payloads.serialize(payload);
    }

    @Benchmark
    public BenchPayload deserializePayload() {
        return payloads.deserialize(payloadJson);
    }

    @Benchmark
    public byte[] serializeResult() {
        return results.serialize(result);
    }
}
