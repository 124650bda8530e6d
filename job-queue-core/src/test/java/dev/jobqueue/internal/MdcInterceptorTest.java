package dev.jobqueue.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jobqueue.internal.InterceptorsTest.FakeJob;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.spi.MDCAdapter;

/** On an MDC of its own: slf4j-simple, the binding of the tests, has none. */
class MdcInterceptorTest {
    private final MDCAdapter mdc = new BasicMDCAdapter();

    private MdcInterceptor interceptor(boolean jobContext, List<String> propagated) {
        return new MdcInterceptor(mdc, jobContext, propagated);
    }

    @AfterEach
    void clear() {
        mdc.clear();
    }

    @Test
    void whileTheAttemptRunsMdcHoldsTheJobAndAfterwardsThePreviousValues() throws Exception {
        mdc.put(MdcInterceptor.JOB_ID, "outer-job");
        mdc.put("unrelated", "kept");
        Map<String, String> inside = new HashMap<>();
        Object r = interceptor(true, List.of()).aroundAttempt("orders", new FakeJob("j-1", 2, Map.of()), () -> {
            inside.putAll(mdc.getCopyOfContextMap());
            return "done";
        });
        assertEquals("done", r);
        assertEquals(Map.of("jobqueue.jobId", "j-1", "jobqueue.queue", "orders", "jobqueue.attempt", "2", "unrelated", "kept"),
                inside);
        assertEquals(Map.of(MdcInterceptor.JOB_ID, "outer-job", "unrelated", "kept"), mdc.getCopyOfContextMap(),
                "a value set before is back; keys absent before are gone");
    }

    @Test
    void mdcIsRestoredWhenTheAttemptThrows() {
        IllegalStateException failure = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> interceptor(true, List.of()).aroundAttempt("q", new FakeJob("j", 1, Map.of()), () -> {
                    throw failure;
                }));
        assertSame(failure, thrown);
        assertNull(mdc.get(MdcInterceptor.JOB_ID));
        assertNull(mdc.get(MdcInterceptor.ATTEMPT));
    }

    @Test
    void propagatedKeysAreCopiedIntoMetadataAtEnqueueAndBackIntoMdcWhileTheAttemptRuns() throws Exception {
        MdcInterceptor producer = interceptor(false, List.of("requestId", "user", "absent"));
        mdc.put("requestId", "r-7");
        mdc.put("user", "ann");
        mdc.put("notListed", "x");
        Map<String, String> metadata = producer.beforeEnqueue("q", "j", Map.of("tenant", "acme", "mdc.user", "explicit"));
        assertEquals(Map.of("tenant", "acme", "mdc.requestId", "r-7", "mdc.user", "explicit"), metadata,
                "listed keys with a value are copied; explicit metadata wins");
        mdc.clear();

        MdcInterceptor worker = interceptor(true, List.of()); // the worker needs no list of its own
        mdc.put("requestId", "worker-thread-value");
        Map<String, String> inside = new HashMap<>();
        worker.aroundAttempt("q", new FakeJob("j", 1, metadata), () -> {
            inside.putAll(mdc.getCopyOfContextMap());
            return null;
        });
        assertEquals("r-7", inside.get("requestId"));
        assertEquals("explicit", inside.get("user"));
        assertNull(inside.get("tenant"), "only mdc.* metadata goes into MDC");
        assertEquals("worker-thread-value", mdc.get("requestId"));
        assertNull(mdc.get("user"));
    }

    @Test
    void withTheJobContextOffMdcIsLeftAlone() throws Exception {
        Map<String, String> inside = new HashMap<>();
        interceptor(false, List.of("requestId")).aroundAttempt("q",
                new FakeJob("j", 1, Map.of("mdc.requestId", "r")), () -> {
                    Map<String, String> copy = mdc.getCopyOfContextMap();
                    if (copy != null) {
                        inside.putAll(copy);
                    }
                    return null;
                });
        assertEquals(Map.of(), inside);
        assertNull(MdcInterceptor.forOptions(mdc, false, List.of()), "nothing to do: no interceptor at all");
        assertNull(MdcInterceptor.forOptions(new org.slf4j.helpers.NOPMDCAdapter(), true, List.of("k")),
                "a binding without MDC: no interceptor at all");
    }

    @Test
    void withoutPropagatedKeysTheMetadataIsPassedThrough() {
        Map<String, String> given = Map.of("k", "v");
        mdc.put("k", "ignored");
        assertSame(given, interceptor(true, List.of()).beforeEnqueue("q", "j", given));
    }
}
