package dev.jobqueue;

import static dev.jobqueue.BackoffTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jobqueue.memory.MemoryStorage;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The execution-control options: validated where set, conflicts at build(), reserved metadata. */
class ExecutionOptionsTest {
    private final MemoryStorage storage = new MemoryStorage();
    private final Queue.Builder<String, String> b = Queue.builder(storage, String.class, String.class);

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void timeoutOptionsAreValidatedNamingTheOption() {
        assertMessage("timeout", () -> b.timeout(Duration.ZERO));
        assertMessage("timeout", () -> b.timeout(Duration.ofMillis(-1)));
        assertMessage("timeout", () -> b.timeout(null));
        assertMessage("timeout", () -> b.timeout(Duration.ofDays(36_501)));
        assertMessage("timeoutGrace", () -> b.timeoutGrace(Duration.ofMillis(-1)));
        assertMessage("timeout", () -> EnqueueOptions.builder().timeout(Duration.ZERO));
        assertMessage("backoff", () -> EnqueueOptions.builder().backoff(null));
        assertMessage("limits", () -> b.limits(null));
        assertMessage("retryIf", () -> b.retryIf(null));
        assertMessage("executor", () -> b.executor(null));
        assertMessage("nonRetryable", () -> b.nonRetryable(IllegalStateException.class, null));
        assertMessage("delay", () -> new SnoozeException(Duration.ofMillis(-1)));
        assertMessage("duration", () -> new BackOffException(Duration.ofDays(2)));
    }

    @Test
    void userMetadataMayNotUseReservedKeys() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EnqueueOptions.builder().metadata(Map.of("jobqueue.backoff", "x")));
        assertTrue(e.getMessage().contains("metadata key 'jobqueue.backoff' is reserved"), e.getMessage());
        EnqueueOptions.builder().metadata(Map.of("jobqueueish", "fine", "mdc.jobqueue.x", "fine"));
    }

    @Test
    void perJobTimeoutAndBackoffAreStoredAsReservedMetadata() {
        Backoff backoff = Backoff.exponential(Duration.ofMillis(250), 3.0, Duration.ofMinutes(2), 0.5);
        EnqueueOptions o = EnqueueOptions.builder().metadata(Map.of("tenant", "acme"))
                .timeout(Duration.ofSeconds(90)).backoff(backoff).build();
        assertEquals(Map.of("tenant", "acme", "jobqueue.timeout", "PT1M30S", "jobqueue.backoff", "PT0.25S,3.0,PT2M,0.5"),
                o.storedMetadata(o.metadata()));
        assertEquals(o, o.newBuilder().build());
        assertEquals(Map.of("tenant", "acme"), EnqueueOptions.builder().metadata(Map.of("tenant", "acme")).build()
                .storedMetadata(Map.of("tenant", "acme")));
        assertNull(EnqueueOptions.defaults().timeout());
    }

    @Test
    void virtualThreadsFailFastBeforeJava21NamingTheOptionAndTheVersion() {
        assumeTrue(Runtime.version().feature() < 21, "this JVM has virtual threads");
        b.virtualThreads(true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertTrue(e.getMessage().contains("virtualThreads"), e.getMessage());
        assertTrue(e.getMessage().contains("Java " + Runtime.version().feature()), e.getMessage());
    }

    @Test
    void virtualThreadsAndAnExecutorExcludeEachOther() {
        var pool = Executors.newSingleThreadExecutor();
        try {
            b.virtualThreads(true).executor(pool);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
            assertTrue(e.getMessage().contains("virtualThreads") && e.getMessage().contains("executor"), e.getMessage());
            b.virtualThreads(false);
            b.build();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void batchHandlersRefuseTheExecutionOptionsTheyDoNotSupportYet() {
        var pool = Executors.newSingleThreadExecutor();
        try {
            BatchHandler<String, String> each = batch -> batch.jobs().forEach(job -> batch.complete(job, "ok"));
            b.batchHandler(each, 10, Duration.ZERO);
            b.build(); // a plain batch queue builds
            b.timeout(Duration.ofSeconds(5));
            assertTrue(assertThrows(IllegalArgumentException.class, b::build).getMessage().startsWith("timeout"));
            Queue.Builder<String, String> c = Queue.builder(storage, String.class, String.class)
                    .batchHandler(each, 10, Duration.ZERO).executor(pool);
            assertTrue(assertThrows(IllegalArgumentException.class, c::build).getMessage().startsWith("executor"));
            Queue.Builder<String, String> d = Queue.builder(storage, String.class, String.class)
                    .batchHandler(each, 10, Duration.ZERO).virtualThreads(true);
            assertTrue(assertThrows(IllegalArgumentException.class, d::build).getMessage().startsWith("virtualThreads"));
        } finally {
            pool.shutdownNow();
        }
    }
}
