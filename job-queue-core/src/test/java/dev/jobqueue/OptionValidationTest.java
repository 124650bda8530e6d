package dev.jobqueue;

import static dev.jobqueue.BackoffTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.jobqueue.memory.MemoryStorage;
import dev.jobqueue.spi.JobMetadata;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every option is checked where it is set, with a message that names it. */
class OptionValidationTest {
    private final MemoryStorage storage = new MemoryStorage();
    private final Queue.Builder<String, String> b = Queue.builder(storage, String.class, String.class);

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void queueOptionsAreValidatedNamingTheOption() {
        assertMessage("storage", () -> Queue.builder(null, String.class, String.class));
        assertMessage("payloadType", () -> Queue.builder(storage, null, String.class));
        assertMessage("name", () -> b.name(""));
        assertMessage("name", () -> b.name("has space"));
        assertMessage("name", () -> b.name("{tag}"));
        assertMessage("name", () -> b.name("x".repeat(129)));
        assertMessage("name", () -> b.name(null));
        assertMessage("concurrency", () -> b.concurrency(0));
        assertMessage("maxAttempts", () -> b.maxAttempts(0));
        assertMessage("backoff", () -> b.backoff(null));
        assertMessage("visibilityTimeout", () -> b.visibilityTimeout(Duration.ZERO));
        assertMessage("visibilityTimeout", () -> b.visibilityTimeout(null));
        assertMessage("maxStalls", () -> b.maxStalls(-1));
        assertMessage("resultTtl", () -> b.resultTtl(Duration.ofSeconds(-1)));
        assertMessage("payloadSerde", () -> b.payloadSerde(null));
        assertMessage("resultSerde", () -> b.resultSerde(null));
        assertMessage("handler", () -> b.handler(null));
        assertMessage("afterExecution", () -> b.afterExecution(null));
        assertMessage("listener", () -> b.listener(null));
        assertMessage("logger", () -> b.logger(null));
        assertMessage("clock", () -> b.clock(null));
        assertMessage("workerId", () -> b.workerId(" "));
        assertMessage("shutdownGrace", () -> b.shutdownGrace(Duration.ofSeconds(-1)));
        assertMessage("defaultWaitTimeout", () -> b.defaultWaitTimeout(Duration.ZERO));
    }

    @Test
    void validNamesAreAccepted() {
        assertDoesNotThrow(() -> b.name("orders.v2_eu-west-1"));
        assertDoesNotThrow(() -> b.name("x".repeat(128)));
        assertDoesNotThrow(() -> b.maxStalls(0));
    }

    @Test
    void defaultWorkerIdsAreUnique() {
        assertNotEquals(b.build().workerId(), b.build().workerId());
        assertEquals("w-1", b.workerId("w-1").build().workerId());
    }

    @Test
    void callArgumentsAreValidated() {
        Queue<String, String> q = b.build();
        assertMessage("id", () -> q.enqueue("", "x"));
        assertMessage("options", () -> q.enqueue("a", "x", null));
        assertMessage("timeout", () -> q.submit("a", "x", EnqueueOptions.defaults(), Duration.ZERO));
        assertMessage("ttl", () -> q.updateResultTtl("a", Duration.ZERO));
        assertMessage("grace", () -> q.stop(Duration.ofSeconds(-1)));
        assertMessage("requests", () -> q.enqueueAll(null));
        assertMessage("limit", () -> q.list(JobState.QUEUED, ListOrder.OLDEST_FIRST, 0));
        assertMessage("cursor", () -> q.list(JobState.QUEUED, ListOrder.OLDEST_FIRST, "", 10));
        assertMessage("id", () -> q.inspect(""));
        assertMessage("id", () -> q.retry("x\uD800"));
        assertMessage("id", () -> q.delete(""));
        assertMessage("id", () -> q.promote(""));
    }

    @Test
    void metadataIsValidatedAgainstTheBoundsNamingIt() {
        EnqueueOptions.Builder b = EnqueueOptions.builder();
        Map<String, String> tooMany = new HashMap<>();
        for (int i = 0; i <= JobMetadata.MAX_ENTRIES; i++) {
            tooMany.put("k" + i, "v");
        }
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("k", null);
        assertMessage("metadata", () -> b.metadata(tooMany));
        assertMessage("metadata", () -> b.metadata(Map.of("big", "x".repeat(JobMetadata.MAX_BYTES))));
        assertMessage("metadata", () -> b.metadata(Map.of("", "v")));
        assertMessage("metadata", () -> b.metadata(nullValue));
        assertMessage("metadata", () -> b.metadata(Map.of("k", "x\uD800")));
        assertEquals(Map.of(), b.build().metadata(), "rejected metadata changes nothing");

        Map<String, String> given = new LinkedHashMap<>();
        given.put("b", "secret-b");
        given.put("a", "secret-a");
        EnqueueOptions o = b.metadata(given).build();
        given.put("c", "secret-c");
        assertEquals(List.of("b", "a"), List.copyOf(o.metadata().keySet()), "copied, order kept");
        assertEquals(o, o.newBuilder().build());
        assertNotEquals(o, EnqueueOptions.defaults());
        assertFalse(o.toString().contains("secret"), "values (which may be secrets) stay out of toString: " + o);
    }

    @Test
    void executionOutcomeCopiesKeepTheAttemptTiming() {
        AttemptTiming timing = new AttemptTiming(Instant.EPOCH, Instant.EPOCH.plusMillis(3), Duration.ofMillis(3), Duration.ZERO);
        ExecutionOutcome<String> timed = ExecutionOutcome.success("r").withTiming(timing);
        assertEquals(Optional.empty(), ExecutionOutcome.success("r").timing());
        assertEquals(Optional.of(timing), timed.timing());
        assertEquals(Optional.of(timing), timed.withResult("s").timing());
        assertEquals(Optional.of(timing), timed.withResultTtl(Duration.ofMinutes(1)).timing());
        ExecutionOutcome<String> failed = ExecutionOutcome.<String>failure(new IllegalStateException("x"), true).withTiming(timing);
        assertEquals(Optional.of(timing), failed.withResultTtl(Duration.ofMinutes(1)).timing());
    }

    @Test
    void mdcAndInterceptorOptionsAreValidatedNamingTheOption() {
        assertMessage("propagateMdc", () -> b.propagateMdc((String[]) null));
        assertMessage("propagateMdc", () -> b.propagateMdc("ok", ""));
        assertMessage("propagateMdc", () -> b.propagateMdc("ok", null));
        assertMessage("interceptor", () -> b.interceptor(null));
    }

    @Test
    void enqueueOptionsAreValidatedAndImmutable() {
        EnqueueOptions.Builder b = EnqueueOptions.builder();
        assertMessage("delay", () -> b.delay(Duration.ofSeconds(-1)));
        assertMessage("delay", () -> b.delay(null));
        assertMessage("runAt", () -> b.runAt(null));
        assertMessage("maxAttempts", () -> b.maxAttempts(0));
        assertMessage("resultTtl", () -> b.resultTtl(Duration.ZERO));
        EnqueueOptions o = EnqueueOptions.defaults();
        EnqueueOptions delayed = b.delay(Duration.ofSeconds(5)).priority(2).build();
        assertNull(o.delay());
        assertEquals(0, o.priority());
        assertEquals(Duration.ofSeconds(5), delayed.delay());
        EnqueueOptions at = delayed.newBuilder().runAt(Instant.EPOCH).build();
        assertNull(at.delay(), "runAt replaces delay");
        assertEquals(Duration.ofSeconds(5), delayed.delay(), "a derived builder leaves the product unchanged");
        assertEquals(2, at.priority());
        b.priority(7);
        assertEquals(2, delayed.priority(), "changing the builder after build() leaves the product unchanged");
        assertEquals(delayed, EnqueueOptions.builder().delay(Duration.ofSeconds(5)).priority(2).build());
        assertEquals(EnqueueOptions.defaults(), EnqueueOptions.builder().build());
    }

    @Test
    void reaperOptionsAreValidatedNamingTheOption() {
        Reaper.Builder r = Reaper.builder(storage);
        assertMessage("storage", () -> Reaper.builder(null));
        assertMessage("name", () -> r.name("a b"));
        assertMessage("scanInterval", () -> r.scanInterval(Duration.ZERO));
        assertMessage("batchSize", () -> r.batchSize(0));
        assertMessage("lockTtl", () -> r.lockTtl(Duration.ofSeconds(-1)));
        assertMessage("renewInterval", () -> r.renewInterval(Duration.ZERO));
        assertMessage("acquireRetryInterval", () -> r.acquireRetryInterval(null));
        assertMessage("reaperId", () -> r.reaperId(""));
        assertMessage("listener", () -> r.listener(null));
        assertMessage("renewInterval", () -> r.lockTtl(Duration.ofSeconds(5)).renewInterval(Duration.ofSeconds(5)).build());
        assertDoesNotThrow(() -> r.lockTtl(Duration.ofSeconds(5)).renewInterval(Duration.ofSeconds(1)).build());
    }

    @Test
    void executionOutcomeReplacementsAreChecked() {
        ExecutionOutcome<String> ok = ExecutionOutcome.success("r");
        assertEquals("s", ok.withResult("s").result());
        assertMessage("resultTtl", () -> ok.withResultTtl(Duration.ZERO));
        ExecutionOutcome<String> failed = ExecutionOutcome.failure(new RuntimeException("x"), true);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> failed.withResult("y"));
        assertEquals(Duration.ofMinutes(1), failed.withResultTtl(Duration.ofMinutes(1)).resultTtl().orElseThrow());
    }
}
