package dev.jobqueue.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.contract.ManualClock;
import dev.jobqueue.spi.ScheduleRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * Recurring schedule records on the shared Redis: idempotent upsert, the due index on the
 * storage clock, the compare-and-set advance (one winner, and a resend of the winner's call after
 * a lost reply still answers true), remove (resend-safe by its nonce), and exact fire times.
 */
class RedisScheduleTest {
    private final String prefix = RedisTestServer.uniquePrefix();
    private final ManualClock clock = new ManualClock();

    @AfterEach
    void deleteKeys() {
        RedisTestServer.deleteKeys(prefix);
    }

    private RedisStorage storage() {
        return RedisStorage.builder().uri(RedisTestServer.url()).keyPrefix(prefix).clock(clock).build();
    }

    private static byte[] def(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void upsertIsIdempotentForAnEqualDefinitionAndVersionsAChangedOne() {
        try (RedisStorage storage = storage()) {
            Instant t = clock.instant().plusSeconds(60).plusNanos(123_456_789);
            ScheduleRecord created = storage.upsertSchedule("q", "nightly", def("{\"cron\":\"0 3 * * *\"}"), t);
            assertEquals(new ScheduleRecord("nightly", def("{\"cron\":\"0 3 * * *\"}"), t, 1), created);
            ScheduleRecord same = storage.upsertSchedule("q", "nightly", def("{\"cron\":\"0 3 * * *\"}"), t.plusSeconds(999));
            assertEquals(created, same, "nothing changes, whatever nextFireAt is passed");
            ScheduleRecord changed = storage.upsertSchedule("q", "nightly", def("{\"cron\":\"0 4 * * *\"}"), t.plusSeconds(3600));
            assertEquals(2, changed.version());
            assertEquals(t.plusSeconds(3600), changed.nextFireAt());
            assertEquals(List.of(changed), storage.listSchedules("q"));
            assertTrue(storage.listSchedules("other").isEmpty(), "queues are namespaces");
        }
    }

    @Test
    void listIsSortedByIdAndKeepsDefinitionsByteForByte() {
        try (RedisStorage storage = storage()) {
            byte[] binary = new byte[256];
            for (int i = 0; i < binary.length; i++) {
                binary[i] = (byte) i;
            }
            Instant t = clock.instant();
            for (String id : List.of("b", "a:{x}", "\uD83D\uDE00 emoji", "Z", "a")) {
                storage.upsertSchedule("q", id, binary, t);
            }
            List<ScheduleRecord> all = storage.listSchedules("q");
            assertEquals(List.of("Z", "a", "a:{x}", "b", "\uD83D\uDE00 emoji"), all.stream().map(ScheduleRecord::id).toList());
            for (ScheduleRecord r : all) {
                assertArrayEquals(binary, r.definition());
            }
            byte[] large = new byte[ScheduleRecord.MAX_DEFINITION_BYTES];
            java.util.Arrays.fill(large, (byte) 'x');
            assertArrayEquals(large, storage.upsertSchedule("q", "large", large, t).definition());
            assertArrayEquals(large, storage.listSchedules("q").stream().filter(r -> r.id().equals("large")).findFirst()
                    .orElseThrow().definition());
        }
    }

    @Test
    void dueSchedulesFollowTheStorageClockEarliestFirstUpToTheLimit() {
        try (RedisStorage storage = storage()) {
            Instant now = clock.instant();
            storage.upsertSchedule("q", "late", def("l"), now.plusSeconds(30));
            storage.upsertSchedule("q", "early", def("e"), now.plusSeconds(10));
            storage.upsertSchedule("q", "middle", def("m"), now.plusSeconds(20));
            storage.upsertSchedule("q", "sub-ms", def("s"), now.plusSeconds(40).plusNanos(1));
            assertTrue(storage.dueSchedules("q", 10).isEmpty());
            clock.advance(Duration.ofSeconds(20));
            assertEquals(List.of("early", "middle"), storage.dueSchedules("q", 10).stream().map(ScheduleRecord::id).toList());
            assertEquals(List.of("early"), storage.dueSchedules("q", 1).stream().map(ScheduleRecord::id).toList());
            clock.advance(Duration.ofSeconds(20));
            assertFalse(storage.dueSchedules("q", 10).stream().anyMatch(r -> r.id().equals("sub-ms")), "never due early");
            clock.advance(Duration.ofMillis(1));
            ScheduleRecord subMs = storage.dueSchedules("q", 10).stream().filter(r -> r.id().equals("sub-ms")).findFirst().orElseThrow();
            assertEquals(now.plusSeconds(40).plusNanos(1), subMs.nextFireAt(), "the fire time is kept exactly");
        }
    }

    @Test
    void advanceIsACompareAndSetWithOneWinner() {
        try (RedisStorage a = storage(); RedisStorage b = storage()) {
            Instant now = clock.instant();
            a.upsertSchedule("q", "s", def("d"), now);
            ScheduleRecord due = b.dueSchedules("q", 10).get(0);
            assertTrue(a.advanceSchedule("q", "s", due.version(), now.plusSeconds(60)));
            assertFalse(b.advanceSchedule("q", "s", due.version(), now.plusSeconds(60)), "the second firer loses");
            assertTrue(b.dueSchedules("q", 10).isEmpty(), "no longer due");
            ScheduleRecord after = b.listSchedules("q").get(0);
            assertEquals(2, after.version());
            assertEquals(now.plusSeconds(60), after.nextFireAt());
            assertFalse(a.advanceSchedule("q", "missing", 1, now));
            // an upsert with a changed definition bumps the version: an advance of the old version loses
            a.upsertSchedule("q", "s", def("d2"), now);
            assertFalse(a.advanceSchedule("q", "s", 2, now.plusSeconds(5)));
            assertTrue(a.advanceSchedule("q", "s", 3, now.plusSeconds(5)));
        }
    }

    @Test
    void resentAdvanceAndRemoveAnswerAsTheFirstCall() {
        try (RedisStorage storage = storage(); RedisClient client = RedisClient.create(RedisTestServer.url())) {
            Instant now = clock.instant();
            storage.upsertSchedule("q", "s", def("d"), now);
            KeySpace keys = new KeySpace(prefix, "q");
            String prelude = LuaScript.resource("prelude.lua");
            LuaScript advance = LuaScript.load("schedule_advance", prelude);
            LuaScript remove = LuaScript.load("schedule_remove", prelude);
            ScriptExecutor executor = new ScriptExecutor(client, "test", 1, Duration.ofSeconds(5), RedisStorage.daemonThreads("test"));
            try {
                ScriptArgs args = new ScriptArgs(clock);
                List<byte[]> advanceArgs = args.head(keys, KeySpace.hexId("s"), ScriptArgs.ascii(1), ScriptArgs.utf8(
                        now.plusSeconds(60).getEpochSecond() + "|0"), ScriptArgs.ascii(now.plusSeconds(60).toEpochMilli()),
                        ScriptArgs.ascii(777));
                assertEquals(1L, executor.execute(ScriptCall.plain(advance, keys.scheduleKeys(), advanceArgs, null, "hash")));
                assertEquals(1L, executor.execute(ScriptCall.plain(advance, keys.scheduleKeys(), advanceArgs, null, "hash")),
                        "the same call resent");
                assertFalse(storage.advanceSchedule("q", "s", 1, now.plusSeconds(60)), "another caller of version 1");
                assertEquals(2, storage.listSchedules("q").get(0).version(), "advanced once");

                List<byte[]> removeArgs = args.head(keys, ScriptArgs.ascii(888), KeySpace.hexId("s"));
                assertTrue(ScheduleScripts.decodeFlag(executor.execute(ScriptCall.plain(remove, keys.scheduleKeys(), removeArgs, null, "hash"))));
                assertTrue(ScheduleScripts.decodeFlag(executor.execute(ScriptCall.plain(remove, keys.scheduleKeys(), removeArgs, null, "hash"))),
                        "the same call resent");
                assertFalse(storage.removeSchedule("q", "s"));
                assertTrue(storage.listSchedules("q").isEmpty());
                assertTrue(storage.dueSchedules("q", 10).isEmpty());
            } finally {
                executor.close();
            }
        }
    }
}
