package dev.jobqueue.benchmarks.jmh;

import dev.jobqueue.file.Durability;
import dev.jobqueue.file.FileStorage;
import dev.jobqueue.file.FileStorageOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The FileStorage journal: durable enqueues (each acknowledged only once fsynced) with 1 and with
 * 64 concurrent producers, so the group-commit gain reads as the ratio of the two; a whole
 * enqueue/claim/complete cycle; and the disk's raw rate of {@code write + force} as the yardstick.
 *
 * <pre>{@code
 * benchmarks/jmh FileJournalBenchmark -p durability=FSYNC_EACH
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class FileJournalBenchmark {
    @Param({"FSYNC_EACH", "FSYNC_BATCHED"})
    public String durability;

    private Path dir;
    private StorageCycle cycle;
    private FileChannel raw;
    private final ByteBuffer record = ByteBuffer.allocateDirect(160);

    @Setup(Level.Iteration)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("jqbench-jmh-file-");
        FileStorageOptions options = FileStorageOptions.builder().durability(Durability.valueOf(durability)).build();
        cycle = new StorageCycle(FileStorage.open(dir.resolve("queue"), options), "jmh");
        raw = FileChannel.open(dir.resolve("raw-fsync"), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
    }

    @TearDown(Level.Iteration)
    public void tearDown() throws IOException {
        cycle.close();
        raw.close();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Benchmark
    @Threads(1)
    public Object enqueueOneProducer() {
        return cycle.enqueue();
    }

    @Benchmark
    @Threads(64)
    public Object enqueue64Producers() {
        return cycle.enqueue();
    }

    @Benchmark
    @Threads(1)
    public Object enqueueClaimComplete() throws InterruptedException {
        return cycle.enqueueClaimComplete();
    }

    /** The disk's bound for one writer that waits for each fsync: what group commit is measured against. */
    @Benchmark
    @Threads(1)
    public int rawWriteAndForce() throws IOException {
        record.clear();
        int n = raw.write(record);
        raw.force(false);
        return n;
    }
}
