package dev.jobqueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.jobqueue.memory.MemoryStorage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Queue.Builder and Reaper.Builder are mutable builders whose build() snapshots the options. */
class BuilderIdiomTest {
    private final MemoryStorage storage = new MemoryStorage();

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void aQueueBuilderWorksWithoutChaining() throws Exception {
        Queue.Builder<String, String> b = Queue.builder(storage, String.class, String.class);
        b.name("orders");
        b.handler(job -> job.payload().toUpperCase());
        try (Queue<String, String> q = b.build()) {
            q.start();
            assertEquals("orders", q.name());
            assertEquals("HELLO", q.enqueueAndWait("a", "hello", Duration.ofSeconds(30)));
        }
    }

    @Test
    void everySetterReturnsTheSameBuilder() {
        Queue.Builder<String, String> b = Queue.builder(storage, String.class, String.class);
        assertSame(b, b.name("x").concurrency(2).prefetch(0).maxAttempts(2).maxStalls(1).workerId("w")
                .visibilityTimeout(Duration.ofSeconds(5)).resultTtl(Duration.ofMinutes(1)).closeOnJvmShutdown(false));
        Reaper.Builder r = Reaper.builder(storage);
        assertSame(r, r.name("x").batchSize(5).leaderElection(true).scanInterval(Duration.ofSeconds(1)));
    }

    @Test
    void aBuiltQueueIsUnaffectedByLaterBuilderChanges() throws Exception {
        List<String> firstListener = new CopyOnWriteArrayList<>();
        List<String> secondListener = new CopyOnWriteArrayList<>();
        Queue.Builder<String, String> b = Queue.builder(storage, String.class, String.class).name("one")
                .listener(new Recorder(firstListener));
        Queue<String, String> first = b.build();
        b.name("two").listener(new Recorder(secondListener)).handler(job -> "handled");
        Queue<String, String> second = b.build();

        assertEquals("one", first.name());
        assertEquals("two", second.name());
        assertNotEquals(first.workerId(), second.workerId(), "each built queue gets its own default worker id");
        first.enqueue("a", "x");
        assertEquals(List.of("a"), firstListener, "the first queue has only the listener added before it was built");
        assertEquals(List.of(), secondListener);
        first.start();
        try {
            Thread.sleep(200);
            assertEquals(JobState.QUEUED, first.status("a").orElseThrow().state(),
                    "the first queue was built without a handler and stays producer-only");
        } finally {
            first.close();
            second.close();
        }
    }

    @Test
    void aReaperBuilderWorksWithoutChainingAndSnapshotsOnBuild() {
        Reaper.Builder b = Reaper.builder(storage);
        b.name("orders");
        b.reaperId("r-1");
        Reaper first = b.build();
        b.name("invoices");
        b.reaperId("r-2");
        Reaper second = b.build();
        assertEquals("orders", first.name());
        assertEquals("r-1", first.reaperId());
        assertEquals("invoices", second.name());
        assertEquals("r-2", second.reaperId());
    }

    private record Recorder(List<String> enqueued) implements QueueListener {
        @Override
        public void enqueued(String jobId) {
            enqueued.add(jobId);
        }
    }
}
