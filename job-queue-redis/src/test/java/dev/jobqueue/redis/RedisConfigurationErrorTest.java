package dev.jobqueue.redis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.Queue;
import dev.jobqueue.contract.TestJobs;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

/**
 * Errors that retrying cannot fix fail at once, naming the cause and never the password (issue
 * 9.11); an unreachable Redis is retried for the configured window; close() is prompt whatever
 * the connection does. Each case runs against a redis-server of its own.
 */
class RedisConfigurationErrorTest {
    /** Far below the 30 s retry window every one of these used to wait. */
    private static final long FAST_MILLIS = 5000;

    @Test
    void aPasswordForAServerWithoutOneFailsAtBuild(@TempDir Path dir) {
        try (RedisProcess redis = RedisProcess.start(dir)) {
            RedisStorageException e = assertFailsFast(() ->
                    RedisStorage.builder().uri("redis://:s3cret-pw@127.0.0.1:" + redis.port()).build());
            assertTrue(e.getMessage().contains("password"), e.getMessage());
            assertFalse(e.getMessage().contains("s3cret-pw"), "the password must not be in the message");
        }
    }

    @Test
    void aWrongPasswordFailsAtBuild(@TempDir Path dir) {
        try (RedisProcess redis = RedisProcess.start(dir, "--requirepass", "right-pw")) {
            RedisStorageException e = assertFailsFast(() ->
                    RedisStorage.builder().uri("redis://:wrong-pw@127.0.0.1:" + redis.port()).build());
            assertTrue(e.getMessage().contains("credentials"), e.getMessage());
            assertFalse(e.getMessage().contains("wrong-pw"), "the password must not be in the message");
        }
    }

    @Test
    void aDatabaseIndexOutOfRangeFailsAtBuild(@TempDir Path dir) {
        try (RedisProcess redis = RedisProcess.start(dir, "--databases", "4")) {
            RedisStorageException e = assertFailsFast(() ->
                    RedisStorage.builder().uri("redis://127.0.0.1:" + redis.port() + "/7").build());
            assertTrue(e.getMessage().contains("DB index"), e.getMessage());
        }
    }

    @Test
    void credentialsRejectedAfterBuildFailTheCallAtOnce(@TempDir Path dir) throws Exception {
        try (RedisProcess redis = RedisProcess.start(dir);
             RedisStorage storage = RedisStorage.builder().uri(redis.url()).keyPrefix("c").build()) {
            storage.enqueue("q", TestJobs.job("before").build());
            try (Jedis admin = new Jedis("127.0.0.1", redis.port())) {
                admin.configSet("requirepass", "now-required");
                admin.auth("now-required");
                admin.clientKill(new ClientKillParams().type(ClientType.NORMAL).skipMe(ClientKillParams.SkipMe.YES));
            }
            RedisStorageException e = assertFailsFast(() -> storage.enqueue("q", TestJobs.job("after").build()));
            assertTrue(e.getMessage().contains("credentials"), e.getMessage());
        }
    }

    @Test
    void anUnreachableRedisIsRetriedForTheWindowNamingTheAddressAndCloseIsPrompt() throws Exception {
        int port = RedisProcess.freePort(); // nothing listens there
        RedisStorage storage = RedisStorage.builder().hostAndPort("127.0.0.1", port)
                .retryWindow(Duration.ofSeconds(1)).build();
        RedisStorageException e = assertFailsFast(() -> storage.enqueue("q", TestJobs.job("a").build()));
        assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
        assertTrue(e.getMessage().contains("retryWindow"), e.getMessage());
        assertCloseIsPrompt(storage);
    }

    @Test
    void closeIsPromptWhileRedisDoesNotAnswer() throws Exception {
        try (TcpProxy proxy = new TcpProxy(URI.create(RedisTestServer.url()).getPort())) {
            String prefix = RedisTestServer.uniquePrefix();
            RedisStorage storage = RedisStorage.builder().hostAndPort("127.0.0.1", proxy.port()).keyPrefix(prefix).build();
            storage.subscribe("q", (id, snapshot) -> { });
            storage.enqueue("q", TestJobs.job("a").build());
            proxy.stall();
            // calls in flight on every path while it closes: waiting, async, an idle claimer
            CompletableFuture.runAsync(() -> storage.enqueue("q", TestJobs.job("b").build()));
            storage.enqueueAsync("q", TestJobs.job("c").build());
            CompletableFuture.runAsync(() -> {
                try {
                    storage.claim("other", "w", 1, Duration.ofSeconds(30), Duration.ofSeconds(30));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            });
            Thread.sleep(500); // lets those calls reach the stalled connections
            assertCloseIsPrompt(storage);
            proxy.resume();
            RedisTestServer.deleteKeys(prefix);
        }
    }

    @Test
    void aQueueAndItsStorageClosePromptlyAgainstAnUnreachableRedis() throws Exception {
        int port = RedisProcess.freePort(); // nothing listens there
        RedisStorage storage = RedisStorage.builder().hostAndPort("127.0.0.1", port).build();
        Queue<String, String> queue = Queue.builder(storage, String.class, String.class).name("q")
                .handler(job -> "done").build();
        queue.start();
        CompletableFuture<String> waiting = queue.submit("a", "x");
        Thread.sleep(1000); // the worker claims, the producer enqueues: all retrying
        long start = System.nanoTime();
        queue.close();
        assertCloseIsPrompt(storage);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(millis < FAST_MILLIS, "closing the queue and the storage took " + millis + " ms");
        assertTrue(waiting.isDone());
    }

    private static void assertCloseIsPrompt(RedisStorage storage) {
        long start = System.nanoTime();
        storage.close();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(millis < FAST_MILLIS, "close() took " + millis + " ms");
    }

    private static RedisStorageException assertFailsFast(org.junit.jupiter.api.function.Executable call) {
        long start = System.nanoTime();
        RedisStorageException e = assertThrows(RedisStorageException.class, call);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(millis < FAST_MILLIS, "failed after " + millis + " ms: " + e.getMessage());
        return e;
    }
}
