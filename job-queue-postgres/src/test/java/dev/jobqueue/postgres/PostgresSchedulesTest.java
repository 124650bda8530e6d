package dev.jobqueue.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.spi.ScheduleRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Schedule records shared by two storages on one schema (two pools, as two hosts): what one writes
 * the other reads, due in database time, and of both advancing one version exactly one wins.
 */
class PostgresSchedulesTest {
    private final PostgresTestDatabase database = new PostgresTestDatabase();
    private PostgresStorage hostA;
    private PostgresStorage hostB;

    @BeforeEach
    void open() {
        String schema = database.newSchema();
        hostA = database.builder(null).schema(schema).build();
        hostB = database.builder(null).schema(schema).build();
    }

    @AfterEach
    void close() {
        hostA.close();
        hostB.close();
        database.dropAll();
    }

    @Test
    void schedulesWrittenByOneHostAreVisibleToTheOtherAndDueInDatabaseTime() {
        byte[] def = {0, 1, 2, (byte) 0xff};
        Instant past = Instant.now().minusSeconds(60).plusNanos(123_456_789); // kept to the nanosecond
        Instant future = Instant.now().plus(Duration.ofHours(1));
        ScheduleRecord a = hostA.upsertSchedule("reports", "daily", def, past);
        assertEquals(new ScheduleRecord("daily", def, past, 1), a);
        hostA.upsertSchedule("reports", "later", new byte[] {9}, future);
        hostA.upsertSchedule("other", "daily", new byte[] {7}, past);
        assertEquals(List.of("daily", "later"), hostB.listSchedules("reports").stream().map(ScheduleRecord::id).toList());
        assertEquals(List.of(a), hostB.dueSchedules("reports", 10));
        assertEquals(a, hostB.upsertSchedule("reports", "daily", def.clone(), future), "equal definition: unchanged");
        assertTrue(hostB.advanceSchedule("reports", "daily", 1, future));
        assertTrue(hostA.dueSchedules("reports", 10).isEmpty());
        ScheduleRecord changed = hostA.upsertSchedule("reports", "daily", new byte[] {5}, past);
        assertEquals(3, changed.version());
        assertArrayEquals(new byte[] {5}, hostB.listSchedules("reports").get(0).definition());
        assertTrue(hostB.removeSchedule("reports", "daily"));
        assertFalse(hostA.removeSchedule("reports", "daily"));
        assertEquals(1, hostA.listSchedules("other").size(), "queues are separate");
    }

    @Test
    void ofManyThreadsOnTwoHostsAdvancingOneVersionExactlyOneWins() throws Exception {
        Instant now = Instant.now();
        hostA.upsertSchedule("q", "s", new byte[] {1}, now);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Callable<Boolean>> advances = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                PostgresStorage host = i % 2 == 0 ? hostA : hostB;
                Instant next = now.plusSeconds(i + 1);
                advances.add(() -> {
                    start.await();
                    return host.advanceSchedule("q", "s", 1, next);
                });
            }
            List<Future<Boolean>> results = new ArrayList<>();
            for (Callable<Boolean> a : advances) {
                results.add(pool.submit(a));
            }
            start.countDown();
            int won = 0;
            for (Future<Boolean> f : results) {
                won += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertEquals(1, won);
            assertEquals(2, hostB.listSchedules("q").get(0).version());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void longAndOddIdsStayDistinct() {
        String longId = "\u20ac".repeat(1024);
        String almost = "\u20ac".repeat(1023) + "x";
        String[] ids = {longId, almost, "a:b", "{x}", "../y", "nul\u0000", "nul\u00010", "\ud83d\ude00"};
        Instant t = Instant.now().plusSeconds(3600);
        for (String id : ids) {
            assertEquals(1, hostA.upsertSchedule("q", id, id.getBytes(java.nio.charset.StandardCharsets.UTF_8), t).version());
        }
        List<String> sorted = new ArrayList<>(List.of(ids));
        sorted.sort(null);
        assertEquals(sorted, hostB.listSchedules("q").stream().map(ScheduleRecord::id).toList());
        assertTrue(hostB.advanceSchedule("q", longId, 1, t));
        assertFalse(hostB.advanceSchedule("q", almost, 2, t));
    }
}
