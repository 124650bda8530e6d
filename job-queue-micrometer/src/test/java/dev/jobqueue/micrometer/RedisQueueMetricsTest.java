package dev.jobqueue.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jobqueue.Queue;
import dev.jobqueue.redis.RedisStorage;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The gauges on a real Redis ({@code REDIS_URL}, default {@code redis://127.0.0.1:6379}): what a
 * scrape costs the storage. Keys live under a prefix of this test's own and are deleted afterwards.
 */
class RedisQueueMetricsTest {
    private static final String URL = System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379");

    private final String prefix = "jqmetrics-" + UUID.randomUUID();
    private final RedisStorage redis = RedisStorage.builder().uri(URL).keyPrefix(prefix).build();
    private final CountingStorage storage = new CountingStorage(redis);
    private Queue<String, String> queue;

    @AfterEach
    void close() {
        if (queue != null) {
            queue.close();
        }
        redis.close();
        try (UnifiedJedis jedis = RedisClient.create(URL)) {
            ScanParams params = new ScanParams().match(prefix + "*").count(1000);
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = jedis.scan(cursor, params);
                page.getResult().forEach(jedis::del);
                cursor = page.getCursor();
            } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
        }
    }

    @Test
    void aScrapeCostsTwoScriptCallsPerCacheTtlAndThePausedGaugeFollowsPause() {
        MockClock clock = new MockClock();
        SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
        QueueMetrics metrics = QueueMetrics.builder(storage.storage).name("metered").build();
        metrics.bindTo(registry);
        queue = Queue.builder(storage.storage, String.class, String.class).name("metered").listener(metrics)
                .closeOnJvmShutdown(false).build();
        for (int i = 0; i < 3; i++) {
            queue.enqueue("job-" + i, "x");
        }

        for (int scrape = 0; scrape < 50; scrape++) {
            registry.getMeters().forEach(m -> m.measure().forEach(v -> v.getValue()));
        }
        assertEquals(3, registry.get(QueueMetrics.JOBS).tag("state", "queued").gauge().value());
        assertEquals(0, registry.get(QueueMetrics.PAUSED).gauge().value());
        assertEquals(1, storage.countsCalls.get(), "one counts script per TTL");
        assertEquals(1, storage.isPausedCalls.get(), "one paused-flag script per TTL");
        assertEquals(3, registry.get(QueueMetrics.ENQUEUED).counter().count());

        queue.pause();
        clock.add(QueueMetrics.DEFAULT_COUNTS_CACHE_TTL);
        assertEquals(1, registry.get(QueueMetrics.PAUSED).gauge().value());
        for (Meter meter : registry.getMeters()) {
            meter.measure().forEach(v -> v.getValue());
        }
        assertEquals(2, storage.countsCalls.get());
        assertEquals(2, storage.isPausedCalls.get());
        clock.add(Duration.ofSeconds(1));
        assertEquals(1, registry.get(QueueMetrics.PAUSED).gauge().value(), "cached");
        assertEquals(2, storage.isPausedCalls.get());
    }
}
