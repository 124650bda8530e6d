package dev.jobqueue.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobTimeoutException;
import dev.jobqueue.Queue;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A caller's wait timeout holds whatever the connection to Redis does (issue 9.6): the proxy
 * between the storage and Redis stalls (a partition: connections open, nothing answers) or
 * refuses (Redis down), while the storage's retry window (30 s) is far longer than the timeout.
 */
class RedisWaitTimeoutTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** Far above what the timeout needs, far below the retry window that used to bound the wait. */
    private static final long MARGIN_MILLIS = 4000;

    private String prefix;
    private TcpProxy proxy;
    private RedisStorage storage;
    private Queue<String, String> queue;

    @BeforeEach
    void setUp() {
        prefix = RedisTestServer.uniquePrefix();
        proxy = new TcpProxy(URI.create(RedisTestServer.url()).getPort());
        storage = RedisStorage.builder().hostAndPort("127.0.0.1", proxy.port()).keyPrefix(prefix)
                .retryWindow(Duration.ofSeconds(30)).build();
        queue = Queue.builder(storage, String.class, String.class).name("q").build();
        // the queue is in use before the fault: its terminal subscription is up
        assertThrows(JobTimeoutException.class, () -> queue.enqueueAndWait("before", "x", Duration.ofMillis(200)));
    }

    @AfterEach
    void tearDown() {
        proxy.resume();
        queue.close();
        storage.close();
        proxy.close();
        RedisTestServer.deleteKeys(prefix);
    }

    @Test
    void enqueueAndWaitTimesOutInTimeWhileRedisDoesNotAnswer() {
        assertTimesOutInTime(TcpProxy::stall);
    }

    @Test
    void enqueueAndWaitTimesOutInTimeWhileRedisRefusesConnections() {
        assertTimesOutInTime(TcpProxy::refuse);
    }

    @Test
    void theFirstWaitOfAnotherQueueTimesOutInTimeWhileRedisIsDown() throws Exception {
        proxy.refuse();
        Thread.sleep(200); // the notification connection notices the outage
        try (Queue<String, String> other = Queue.builder(storage, String.class, String.class).name("other").build()) {
            long start = System.nanoTime();
            assertThrows(JobTimeoutException.class, () -> other.enqueueAndWait("first", "x", TIMEOUT));
            assertWithinMargin(start);
        }
    }

    @Test
    void theFirstWaitOfAQueueTimesOutInTimeWhileRedisStallsUnnoticed() throws Exception {
        proxy.stall(); // no connection has failed yet: nothing tells the storage that Redis is gone
        Duration shortTimeout = Duration.ofSeconds(1);
        try (Queue<String, String> other = Queue.builder(storage, String.class, String.class).name("fresh").build()) {
            long start = System.nanoTime();
            assertThrows(JobTimeoutException.class, () -> other.enqueueAndWait("first", "x", shortTimeout));
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(elapsed < shortTimeout.toMillis() + 3000, "timed out after " + elapsed + " ms with a timeout of 1 s");
        }
    }

    @Test
    void submitTimesOutInTimeWhileRedisDoesNotAnswer() throws Exception {
        proxy.stall();
        long start = System.nanoTime();
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> queue.submit("during-stall", "x", dev.jobqueue.EnqueueOptions.defaults(), TIMEOUT)
                        .get(TIMEOUT.toMillis() + MARGIN_MILLIS, TimeUnit.MILLISECONDS));
        assertTrue(e.getCause() instanceof JobTimeoutException, "got " + e.getCause());
        assertWithinMargin(start);
    }

    @Test
    void aTimeoutOnAQueueNobodyServesSaysSo() {
        JobTimeoutException e = assertThrows(JobTimeoutException.class,
                () -> queue.enqueueAndWait("unserved", "x", Duration.ofMillis(300)));
        assertEquals("unserved", e.jobId());
        assertTrue(e.getMessage().contains("still QUEUED"), e.getMessage());
        assertTrue(e.getMessage().contains("is a worker running for queue q?"), e.getMessage());
    }

    private void assertTimesOutInTime(Consumer<TcpProxy> fault) {
        fault.accept(proxy);
        long start = System.nanoTime();
        JobTimeoutException e = assertThrows(JobTimeoutException.class,
                () -> queue.enqueueAndWait("during-fault", "x", TIMEOUT));
        assertWithinMargin(start);
        assertEquals("during-fault", e.jobId());
        assertTrue(e.getMessage().contains("state is unknown"), e.getMessage());
    }

    private static void assertWithinMargin(long start) {
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(elapsed < TIMEOUT.toMillis() + MARGIN_MILLIS,
                "timed out after " + elapsed + " ms with a timeout of " + TIMEOUT.toMillis() + " ms");
    }
}
