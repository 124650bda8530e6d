package dev.jobqueue.memory;

import static dev.jobqueue.contract.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobState;
import dev.jobqueue.Queue;
import dev.jobqueue.Schedule;
import dev.jobqueue.contract.FaultInjectingStorage;
import dev.jobqueue.contract.ManualClock;
import dev.jobqueue.spi.Storage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the schedule poller and the batch worker ask of the storage, observed through wrappers. */
class ScheduleAndBatchRuntimeTest {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private volatile int failingDuePolls;
    private volatile boolean dueUnsupported;
    private Queue<String, String> queue;
    private Storage inner;

    @AfterEach
    void stop() {
        if (queue != null) {
            queue.stop(Duration.ZERO);
        }
        if (inner != null) {
            inner.close();
        }
    }

    /** A storage with schedules that counts every call by method name and can fail dueSchedules. */
    private Storage counting() {
        inner = new MemoryStorage(clock);
        return (Storage) Proxy.newProxyInstance(Storage.class.getClassLoader(), new Class<?>[] {Storage.class},
                (proxy, method, args) -> {
                    calls.computeIfAbsent(method.getName(), n -> new AtomicInteger()).incrementAndGet();
                    if (method.getName().equals("dueSchedules")) {
                        if (dueUnsupported) {
                            throw new UnsupportedOperationException("no schedules here");
                        }
                        if (failingDuePolls > 0) {
                            failingDuePolls--;
                            throw new IllegalStateException("storage blinked");
                        }
                    }
                    try {
                        return method.invoke(inner, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private int calls(String method) {
        AtomicInteger n = calls.get(method);
        return n == null ? 0 : n.get();
    }

    @Test
    void anIdleStartedQueueMakesOneDueSchedulesCallPerPollAndNothingElse() throws InterruptedException {
        queue = Queue.builder(counting(), String.class, String.class).name("q").clock(clock)
                .schedulePollInterval(Duration.ofMillis(50)).closeOnJvmShutdown(false).build();
        queue.start();
        await("a few polls", () -> calls("dueSchedules") >= 5);
        assertEquals(Map.of("dueSchedules", calls("dueSchedules")), Map.copyOf(calls.entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get()))));
    }

    @Test
    void storageErrorsWhilePollingAreRetriedAtTheNextPoll() {
        Storage storage = counting();
        failingDuePolls = 3;
        queue = Queue.builder(storage, String.class, String.class).name("q").clock(clock)
                .schedulePollInterval(Duration.ofMillis(20)).closeOnJvmShutdown(false).build();
        queue.schedules().upsert(Schedule.<String>every("s", Duration.ofMinutes(1)).payload("x"));
        clock.set(Instant.parse("2026-01-01T00:01:00Z"));
        queue.start();
        await("fired after the storage recovered", () -> queue.counts().get(JobState.QUEUED) == 1);
        assertTrue(calls("dueSchedules") >= 4);
        assertTrue(queue.isRunning());
    }

    @Test
    void aStorageWithoutSchedulesIsAskedOnceAndTheQueueRunsOn() throws InterruptedException {
        Storage storage = counting();
        dueUnsupported = true;
        queue = Queue.builder(storage, String.class, String.class).name("q").clock(clock)
                .schedulePollInterval(Duration.ofMillis(10)).closeOnJvmShutdown(false).handler(job -> "ok").build();
        queue.start();
        await("first poll", () -> calls("dueSchedules") == 1);
        Thread.sleep(200);
        assertEquals(1, calls("dueSchedules"), "polling stopped after UnsupportedOperationException");
        assertEquals("ok", queue.enqueueAndWait("j", "p", Duration.ofSeconds(20)));
    }

    @Test
    void aFullBatchIsClaimedAndCompletedWithOneStorageCallEach() {
        MemoryStorage memory = new MemoryStorage();
        inner = memory;
        FaultInjectingStorage storage = new FaultInjectingStorage(memory);
        Queue<String, String> producer = Queue.builder(memory, String.class, String.class).name("q").build();
        for (int i = 0; i < 100; i++) {
            producer.enqueue("j" + i, "p" + i);
        }
        AtomicInteger batches = new AtomicInteger();
        queue = Queue.builder(storage, String.class, String.class).name("q").closeOnJvmShutdown(false)
                .batchHandler(batch -> {
                    batches.incrementAndGet();
                    batch.jobs().forEach(job -> batch.complete(job, "ok"));
                }, 100, Duration.ofSeconds(5)).build();
        queue.start();
        await("100 completed", () -> producer.counts().get(JobState.COMPLETED) == 100);
        assertEquals(1, batches.get());
        assertEquals(List.of(100), storage.completeBatches, "one completeAll for the whole batch");
        assertTrue(storage.claims.get() <= 2, "one claim took the full batch (then the next claim waits): " + storage.claims);
    }
}
