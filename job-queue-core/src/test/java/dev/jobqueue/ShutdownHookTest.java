package dev.jobqueue;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.jobqueue.memory.MemoryStorage;
import java.lang.ref.WeakReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The JVM shutdown hook of a started queue or reaper is removed when it stops, so that many
 * short-lived queues do not pile up hooks (each of which would keep its queue reachable). Seen
 * from outside: a stopped queue can be garbage collected, a running one cannot.
 */
class ShutdownHookTest {
    private final MemoryStorage storage = new MemoryStorage();

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void aStoppedQueueLeavesNoHookBehind() {
        WeakReference<Queue<String, String>> running = new WeakReference<>(startedQueue("kept"));
        assertNotNull(afterGc(running::get, 5), "a running queue's hook keeps it reachable");
        running.get().close();

        WeakReference<Queue<String, String>> stopped = new WeakReference<>(startedQueue("dropped"));
        stopped.get().close();
        assertNull(afterGc(stopped::get, 500), "a closed queue is still reachable: its shutdown hook was not removed");
    }

    @Test
    void aQueueThatOptsOutRegistersNoHook() {
        WeakReference<Queue<String, String>> q = new WeakReference<>(Queue.builder(storage, String.class, String.class)
                .name("opted-out").handler(job -> "ok").closeOnJvmShutdown(false).build());
        q.get().start();
        Queue<String, String> strong = q.get();
        strong.stop(java.time.Duration.ZERO);
        strong = null;
        assertNull(afterGc(q::get, 500));
    }

    @Test
    void aStoppedReaperLeavesNoHookBehind() {
        WeakReference<Reaper> running = new WeakReference<>(startedReaper("kept"));
        assertNotNull(afterGc(running::get, 5), "a running reaper's hook keeps it reachable");
        running.get().close();
        assertFalse(running.get().isRunning());

        WeakReference<Reaper> stopped = new WeakReference<>(startedReaper("dropped"));
        stopped.get().close();
        assertNull(afterGc(stopped::get, 500), "a closed reaper is still reachable: its shutdown hook was not removed");
    }

    private Queue<String, String> startedQueue(String name) {
        Queue<String, String> q = Queue.builder(storage, String.class, String.class).name(name).handler(job -> "ok").build();
        q.start();
        return q;
    }

    private Reaper startedReaper(String name) {
        Reaper r = Reaper.builder(storage).name(name).build();
        r.start();
        return r;
    }

    /** The referent after up to {@code rounds} collections (stops early once it is gone). */
    private static <T> T afterGc(Supplier<T> ref, int rounds) {
        for (int i = 0; i < rounds && ref.get() != null; i++) {
            System.gc();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        return ref.get();
    }
}
