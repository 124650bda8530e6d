package dev.jobqueue.benchmarks.jmh;

import dev.jobqueue.memory.MemoryStorage;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One job's whole storage life on {@link MemoryStorage}: enqueue, claim, complete (the three SPI
 * calls a no-op job costs), alone and with 4 threads contending on one queue, and the same in
 * batches of 64 (enqueueBatch, claim, completeAll), reported per job.
 *
 * <pre>{@code
 * benchmarks/jmh MemoryClaimCompleteBenchmark
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MemoryClaimCompleteBenchmark {
    private static final int BATCH = 64;

    private StorageCycle cycle;

    /** A fresh storage per iteration, so completed records (kept for their TTL) do not pile up. */
    @Setup(Level.Iteration)
    public void setUp() {
        cycle = new StorageCycle(new MemoryStorage(), "jmh");
    }

    @TearDown(Level.Iteration)
    public void tearDown() {
        cycle.close();
    }

    @Benchmark
    @Threads(1)
    public Object enqueueClaimComplete() throws InterruptedException {
        return cycle.enqueueClaimComplete();
    }

    @Benchmark
    @Threads(4)
    public Object enqueueClaimComplete4Threads() throws InterruptedException {
        return cycle.enqueueClaimComplete();
    }

    /** Per job, in batches of 64: enqueueBatch, claim, completeAll (what a batching worker does). */
    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(BATCH)
    public Object enqueueClaimCompleteAllBatch64() throws InterruptedException {
        return cycle.enqueueClaimCompleteAll(BATCH);
    }
}
