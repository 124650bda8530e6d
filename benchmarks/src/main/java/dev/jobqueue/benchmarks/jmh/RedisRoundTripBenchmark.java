package dev.jobqueue.benchmarks.jmh;

import dev.jobqueue.benchmarks.RedisAdmin;
import dev.jobqueue.redis.RedisStorage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * RedisStorage script round trips against the Redis in {@code REDIS_URL} (default
 * redis://127.0.0.1:6379): one enqueue, and a whole enqueue/claim/complete cycle (three script
 * calls), from 1 thread (latency bound: compare with the ~0.055 ms Redis round trip) and from 16
 * (what pipelining/batching gains). Keys live under {@code jqbench-jmh:<random>} and are deleted
 * after each iteration.
 *
 * <pre>{@code
 * REDIS_URL=redis://127.0.0.1:6379 benchmarks/jmh RedisRoundTripBenchmark
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class RedisRoundTripBenchmark {
    private String url;
    private String prefix;
    private StorageCycle cycle;

    @Setup(Level.Iteration)
    public void setUp() {
        url = System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379");
        prefix = "jqbench-jmh:" + Integer.toHexString(ThreadLocalRandom.current().nextInt());
        cycle = new StorageCycle(RedisStorage.builder().uri(url).keyPrefix(prefix).build(), "jmh");
    }

    @TearDown(Level.Iteration)
    public void tearDown() {
        cycle.close();
        try (RedisAdmin admin = new RedisAdmin(url)) {
            admin.deleteByPattern(prefix + ":*");
        }
    }

    @Benchmark
    @Threads(1)
    public Object enqueue() {
        return cycle.enqueue();
    }

    @Benchmark
    @Threads(1)
    public Object enqueueClaimComplete() throws InterruptedException {
        return cycle.enqueueClaimComplete();
    }

    @Benchmark
    @Threads(16)
    public Object enqueueClaimComplete16Threads() throws InterruptedException {
        return cycle.enqueueClaimComplete();
    }
}
