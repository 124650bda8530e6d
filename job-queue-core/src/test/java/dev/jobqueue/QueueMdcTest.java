package dev.jobqueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.internal.QueueSettings;
import dev.jobqueue.memory.MemoryStorage;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.spi.MDCAdapter;

/**
 * MDC around real handlers on a MemoryStorage. slf4j-simple, the binding of these tests, has no
 * MDC, so the queues here get an MDC of their own through the runtime's settings.
 */
class QueueMdcTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final MemoryStorage storage = new MemoryStorage();
    private final MDCAdapter mdc = new BasicMDCAdapter();
    private final List<Queue<?, ?>> queues = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        queues.forEach(q -> q.stop(Duration.ZERO));
        storage.close();
        mdc.clear();
    }

    private Queue<String, String> build(Queue.Builder<String, String> b) throws ReflectiveOperationException {
        Field settings = Queue.Builder.class.getDeclaredField("settings");
        settings.setAccessible(true);
        ((QueueSettings.Builder<?, ?>) settings.get(b)).mdcAdapter(mdc);
        Queue<String, String> q = b.build();
        queues.add(q);
        return q;
    }

    private Map<String, String> mdcNow() {
        Map<String, String> copy = mdc.getCopyOfContextMap();
        return copy == null ? Map.of() : new HashMap<>(copy);
    }

    @Test
    void aHandlerRunsWithTheJobInMdcWhichIsRestoredAfterwardsAlsoWhenItThrows() throws Exception {
        List<Map<String, String>> inside = new CopyOnWriteArrayList<>();
        List<Map<String, String>> after = new CopyOnWriteArrayList<>();
        Queue<String, String> q = build(Queue.builder(storage, String.class, String.class).name("orders")
                .backoff(Backoff.none()).handler(job -> {
                    inside.add(mdcNow());
                    if (job.attempt() == 1) {
                        throw new IllegalStateException("again");
                    }
                    return "ok";
                }).afterExecution((job, outcome) -> {
                    after.add(mdcNow());
                    return outcome;
                }));
        q.start();
        assertEquals("ok", q.enqueueAndWait("a", "x", WAIT));
        assertEquals(List.of(Map.of("jobqueue.jobId", "a", "jobqueue.queue", "orders", "jobqueue.attempt", "1"),
                Map.of("jobqueue.jobId", "a", "jobqueue.queue", "orders", "jobqueue.attempt", "2")), inside);
        assertEquals(List.of(Map.of(), Map.of()), after, "nothing left on the handler thread");
    }

    @Test
    void propagatedEntriesTravelFromTheProducerThreadThroughTheMetadata() throws Exception {
        List<Map<String, String>> inside = new CopyOnWriteArrayList<>();
        Queue<String, String> producer = build(Queue.builder(storage, String.class, String.class).name("orders")
                .propagateMdc("requestId", "user"));
        Queue<String, String> worker = build(Queue.builder(storage, String.class, String.class).name("orders")
                .handler(job -> {
                    inside.add(mdcNow());
                    return "ok";
                }));
        worker.start();
        mdc.put("requestId", "req-7");
        mdc.put("other", "not propagated");
        producer.enqueueAndWait("a", "x", WAIT);
        assertEquals(Map.of("mdc.requestId", "req-7"), producer.status("a").orElseThrow().metadata());
        assertEquals("req-7", inside.get(0).get("requestId"));
        assertNull(inside.get(0).get("user"));
        assertNull(inside.get(0).get("other"), "the handler thread has only what was propagated");
        assertEquals("a", inside.get(0).get("jobqueue.jobId"));
    }

    @Test
    void withMdcOffHandlersRunWithTheirThreadsMdcUntouched() throws Exception {
        List<Map<String, String>> inside = new CopyOnWriteArrayList<>();
        Queue<String, String> q = build(Queue.builder(storage, String.class, String.class).mdc(false).handler(job -> {
            inside.add(mdcNow());
            return "ok";
        }));
        q.start();
        q.enqueueAndWait("a", "x", EnqueueOptions.builder().metadata(Map.of("mdc.requestId", "r")).build(), WAIT);
        assertEquals(List.of(Map.of()), inside);
    }

    @Test
    void aPropagatedValueBeyondTheMetadataBoundsFailsTheEnqueueNamingMetadata() throws Exception {
        Queue<String, String> producer = build(Queue.builder(storage, String.class, String.class).propagateMdc("blob"));
        mdc.put("blob", "x".repeat(dev.jobqueue.spi.JobMetadata.MAX_BYTES));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> producer.enqueue("a", "x"));
        assertTrue(e.getMessage().startsWith("metadata"), e.getMessage());
        assertTrue(producer.status("a").isEmpty(), "nothing stored");
    }
}
