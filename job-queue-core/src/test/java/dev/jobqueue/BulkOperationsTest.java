package dev.jobqueue;

import static dev.jobqueue.BackoffTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.memory.MemoryStorage;
import dev.jobqueue.spi.Storage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * retryAll and purge page through the storage: bounded calls, a stop once the state held as many
 * jobs as it had at the start, and a clean stop on interrupt. The storage's answers are scripted.
 */
class BulkOperationsTest {
    private final MemoryStorage memory = new MemoryStorage();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private volatile long countAtStart;
    private volatile IntUnaryOperator page = limit -> limit;

    @AfterEach
    void close() {
        Thread.interrupted();
        memory.close();
    }

    /** MemoryStorage, except that counts, retryAll and purge answer as the test scripts them. */
    private Queue<String, String> queue() {
        Storage scripted = (Storage) Proxy.newProxyInstance(Storage.class.getClassLoader(), new Class<?>[] {Storage.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "counts" -> {
                            Map<JobState, Long> counts = new EnumMap<>(JobState.class);
                            for (JobState s : JobState.values()) {
                                counts.put(s, countAtStart);
                            }
                            return counts;
                        }
                        case "retryAll", "purge" -> {
                            int limit = (Integer) args[2];
                            calls.add(method.getName() + "(" + args[1] + "," + limit + ")");
                            return page.applyAsInt(limit);
                        }
                        default -> {
                            try {
                                return method.invoke(memory, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        }
                    }
                });
        return Queue.builder(scripted, String.class, String.class).name("bulk").build();
    }

    @Test
    void retryAllCallsTheStorageInPagesUntilAllJobsOfTheStartAreDone() {
        countAtStart = 250;
        assertEquals(250, queue().retryAll(JobState.FAILED));
        assertEquals(List.of("retryAll(FAILED,100)", "retryAll(FAILED,100)", "retryAll(FAILED,50)"), calls,
                "never more than the state held at the start, even while jobs keep failing again");
    }

    @Test
    void retryAllStopsWhenTheStorageHasNoMore() {
        countAtStart = 250;
        int[] left = {120};
        page = limit -> {
            int n = Math.min(limit, left[0]);
            left[0] -= n;
            return n;
        };
        assertEquals(120, queue().retryAll(JobState.CANCELLED));
        assertEquals(List.of("retryAll(CANCELLED,100)", "retryAll(CANCELLED,100)", "retryAll(CANCELLED,100)"), calls);
    }

    @Test
    void anEmptyStateCostsNoRetryCall() {
        countAtStart = 0;
        assertEquals(0, queue().purge(JobState.COMPLETED));
        assertEquals(List.of(), calls);
    }

    @Test
    void purgeUsesLargerPages() {
        countAtStart = 1200;
        assertEquals(1200, queue().purge(JobState.FAILED));
        assertEquals(List.of("purge(FAILED,500)", "purge(FAILED,500)", "purge(FAILED,200)"), calls);
    }

    @Test
    void anInterruptStopsAfterTheCurrentPageReturnsTheCountSoFarAndStaysSet() {
        countAtStart = 1000;
        page = limit -> {
            if (calls.size() == 2) {
                Thread.currentThread().interrupt(); // as if another thread interrupted us during the 2nd page
            }
            return limit;
        };
        assertEquals(200, queue().retryAll(JobState.FAILED));
        assertTrue(Thread.currentThread().isInterrupted(), "the caller can see it was interrupted");
        assertEquals(2, calls.size());
    }

    @Test
    void badStatesAreRejectedNamingTheArgumentBeforeAnyStorageCall() {
        Queue<String, String> q = queue();
        assertMessage("state", () -> q.retryAll(JobState.COMPLETED));
        assertMessage("state", () -> q.retryAll(JobState.QUEUED));
        assertMessage("state", () -> q.retryAll(null));
        assertMessage("state", () -> q.purge(JobState.PROCESSING));
        assertMessage("state", () -> q.purge(null));
        assertEquals(List.of(), calls);
    }
}
