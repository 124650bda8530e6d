package dev.jobqueue.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.Job;
import dev.jobqueue.JobInterceptor;
import dev.jobqueue.spi.JobMetadata;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.BasicMDCAdapter;

class InterceptorsTest {
    private final List<String> calls = new ArrayList<>();

    /** Records its calls and adds "name" -> metadata seen so far, joined. */
    private JobInterceptor recording(String name) {
        return new JobInterceptor() {
            @Override
            public Map<String, String> beforeEnqueue(String queue, String jobId, Map<String, String> metadata) {
                calls.add(name + ".beforeEnqueue(" + queue + "," + jobId + "," + metadata.keySet() + ")");
                Map<String, String> more = new LinkedHashMap<>(metadata);
                more.put(name, "x");
                return more;
            }

            @Override
            public Object aroundAttempt(String queue, Job<?> job, Attempt attempt) throws Exception {
                calls.add(name + ".before");
                try {
                    return attempt.proceed();
                } finally {
                    calls.add(name + ".after");
                }
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    @Test
    void beforeEnqueueRunsOutermostFirstEachSeeingWhatTheOneBeforeReturned() {
        Interceptors chain = Interceptors.of(List.of(recording("a"), recording("b")));
        Map<String, String> metadata = chain.beforeEnqueue("q", "job-1", Map.of("given", "1"));
        assertEquals(List.of("a.beforeEnqueue(q,job-1,[given])", "b.beforeEnqueue(q,job-1,[given, a])"), calls);
        assertEquals(List.of("given", "a", "b"), List.copyOf(metadata.keySet()), "order kept");
        assertThrows(UnsupportedOperationException.class, () -> metadata.put("c", "y"), "stored metadata is unmodifiable");
    }

    @Test
    void withoutInterceptorsTheMetadataIsPassedThrough() {
        Map<String, String> given = Map.of("k", "v");
        assertSame(given, Interceptors.of(List.of()).beforeEnqueue("q", "j", given));
    }

    @Test
    void metadataFromAnInterceptorIsCheckedAgainstTheBounds() {
        JobInterceptor returnsNull = new JobInterceptor() {
            @Override
            public Map<String, String> beforeEnqueue(String queue, String jobId, Map<String, String> metadata) {
                return null;
            }
        };
        JobInterceptor tooBig = new JobInterceptor() {
            @Override
            public Map<String, String> beforeEnqueue(String queue, String jobId, Map<String, String> metadata) {
                return Map.of("big", "x".repeat(JobMetadata.MAX_BYTES));
            }
        };
        JobInterceptor emptyKey = new JobInterceptor() {
            @Override
            public Map<String, String> beforeEnqueue(String queue, String jobId, Map<String, String> metadata) {
                Map<String, String> m = new HashMap<>();
                m.put("", "v");
                return m;
            }
        };
        for (JobInterceptor bad : List.of(returnsNull, tooBig, emptyKey)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Interceptors.of(List.of(bad)).beforeEnqueue("q", "j", Map.of()));
            assertTrue(e.getMessage().startsWith("metadata"), e.getMessage());
        }
    }

    @Test
    void aroundAttemptNestsTheFirstRegisteredOutermost() throws Exception {
        Interceptors chain = Interceptors.of(List.of(recording("a"), recording("b")));
        Object result = chain.aroundAttempt("q", new FakeJob("j", 1, Map.of()), () -> {
            calls.add("handler");
            return "r";
        });
        assertEquals("r", result);
        assertEquals(List.of("a.before", "b.before", "handler", "b.after", "a.after"), calls);
    }

    @Test
    void whatTheHandlerThrowsComesOutUnchanged() {
        Interceptors chain = Interceptors.of(List.of(recording("a")));
        Exception failure = new java.io.IOException("handler failed");
        Exception thrown = assertThrows(Exception.class, () -> chain.aroundAttempt("q", new FakeJob("j", 1, Map.of()), () -> {
            throw failure;
        }));
        assertSame(failure, thrown);
        assertEquals(List.of("a.before", "a.after"), calls);
    }

    @Test
    void anInterceptorThatThrowsBeforeProceedingNeverRunsTheHandler() {
        JobInterceptor refusing = new JobInterceptor() {
            @Override
            public Object aroundAttempt(String queue, Job<?> job, Attempt attempt) {
                throw new IllegalStateException("no tenant");
            }
        };
        Interceptors chain = Interceptors.of(List.of(recording("a"), refusing));
        assertThrows(IllegalStateException.class, () -> chain.aroundAttempt("q", new FakeJob("j", 1, Map.of()), () -> {
            calls.add("handler");
            return "r";
        }));
        assertEquals(List.of("a.before", "a.after"), calls);
    }

    @Test
    void proceedingTwiceIsRefused() {
        JobInterceptor twice = new JobInterceptor() {
            @Override
            public Object aroundAttempt(String queue, Job<?> job, Attempt attempt) throws Exception {
                attempt.proceed();
                return attempt.proceed();
            }
        };
        List<String> runs = new ArrayList<>();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Interceptors.of(List.of(twice)).aroundAttempt("q", new FakeJob("j", 1, Map.of()), () -> runs.add("run")));
        assertTrue(e.getMessage().contains("proceed() twice"), e.getMessage());
        assertEquals(1, runs.size(), "the handler ran once");
    }

    @Test
    void theBuiltInMdcInterceptorIsOnByDefaultAndOutermost() {
        JobInterceptor a = recording("a");
        JobInterceptor b = recording("b");
        QueueSettings.Builder<String, String> settings = QueueSettings.builder(null, m -> null, m -> null);
        assertEquals(List.of(), settings.build().interceptors().asList(),
                "with the no-op MDC of slf4j-simple, the binding of these tests, the built-in one is left out");
        settings.mdcAdapter(new BasicMDCAdapter());
        settings.addInterceptor(a);
        settings.addInterceptor(b);
        List<JobInterceptor> chain = settings.build().interceptors().asList();
        assertEquals(3, chain.size());
        assertTrue(chain.get(0) instanceof MdcInterceptor, chain.toString());
        assertEquals(List.of(a, b), chain.subList(1, 3));

        settings.mdc(false);
        assertEquals(List.of(a, b), settings.build().interceptors().asList(), "mdc(false) without propagated keys: none");
        settings.propagateMdc(List.of("requestId"));
        assertTrue(settings.build().interceptors().asList().get(0) instanceof MdcInterceptor, "propagation still works");
    }

    /** A job as a handler sees it, for interceptors. */
    record FakeJob(String id, int attempt, Map<String, String> metadata) implements Job<String> {
        @Override
        public String payload() {
            return "p";
        }

        @Override
        public int maxAttempts() {
            return 3;
        }

        @Override
        public Instant createdAt() {
            return Instant.EPOCH;
        }

        @Override
        public long fencingToken() {
            return 1;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }
    }
}
