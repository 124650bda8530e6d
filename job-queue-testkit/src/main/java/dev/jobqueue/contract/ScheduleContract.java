package dev.jobqueue.contract;

import static dev.jobqueue.contract.TestJobs.job;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobState;
import dev.jobqueue.spi.ScheduleRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Recurring schedule records: upsertSchedule is idempotent for a byte-equal definition and bumps
 * the version for a changed one, definitions are kept byte for byte, listSchedules is sorted by id,
 * dueSchedules returns the due ones earliest first, and advanceSchedule is a compare-and-set on the
 * version that exactly one of many concurrent callers wins. Schedule ids follow the SPI's name
 * rule and, like queues, never collide.
 *
 * <!-- snippet: schedule-contract -->
 * <pre>{@code
 * ScheduleRecord s = storage.upsertSchedule(queue, "nightly", definition, firstFire); // version 1
 * storage.advanceSchedule(queue, "nightly", s.version(), nextFire);                // true once per version
 * }</pre>
 *
 * <p>Part of {@link StorageContract}; runs on any {@link StorageFixture}.
 */
public interface ScheduleContract extends StorageFixture {
    /** A new schedule gets version 1 and is stored as given; listSchedules shows it. */
    @Test
    default void schedule_upsertOfANewScheduleIsVersionOne() {
        assertEquals(List.of(), storage().listSchedules(queue()));
        Instant fire = clock().instant().plusSeconds(60);
        ScheduleRecord s = storage().upsertSchedule(queue(), "nightly", bytes("{\"cron\":\"0 2 * * *\"}"), fire);
        assertEquals(new ScheduleRecord("nightly", bytes("{\"cron\":\"0 2 * * *\"}"), fire, 1), s);
        assertEquals(List.of(s), storage().listSchedules(queue()));
    }

    /**
     * Upserting a byte-equal definition changes nothing, whatever nextFireAt is passed; a changed
     * definition is stored with the new nextFireAt and version + 1.
     */
    @Test
    default void schedule_upsertIsIdempotentAndAChangeBumpsTheVersion() {
        Instant fire = clock().instant().plusSeconds(60);
        ScheduleRecord first = storage().upsertSchedule(queue(), "s", bytes("every 1m"), fire);
        ScheduleRecord same = storage().upsertSchedule(queue(), "s", bytes("every 1m"), fire.plusSeconds(3_600));
        assertEquals(first, same, "a byte-equal definition changes nothing");
        assertEquals(List.of(first), storage().listSchedules(queue()));

        Instant changedFire = fire.plusSeconds(5);
        ScheduleRecord changed = storage().upsertSchedule(queue(), "s", bytes("every 2m"), changedFire);
        assertEquals(new ScheduleRecord("s", bytes("every 2m"), changedFire, 2), changed);
        assertEquals(List.of(changed), storage().listSchedules(queue()));
        ScheduleRecord back = storage().upsertSchedule(queue(), "s", bytes("every 1m"), fire);
        assertEquals(3, back.version(), "every change counts, also back to an earlier definition");
        assertEquals(fire, back.nextFireAt());

        assertTrue(storage().advanceSchedule(queue(), "s", 3, fire.plusSeconds(60)));
        ScheduleRecord unchanged = storage().upsertSchedule(queue(), "s", bytes("every 1m"), fire);
        assertEquals(new ScheduleRecord("s", bytes("every 1m"), fire.plusSeconds(60), 4), unchanged,
                "an unchanged upsert keeps the advanced fire time");
    }

    /**
     * Definitions are stored byte for byte: every byte value, the empty definition, and the
     * largest allowed (64 KiB) of random bytes; changing the returned array changes nothing stored.
     */
    @Test
    default void schedule_definitionIsStoredByteExact() {
        byte[] everyByte = new byte[512];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = (byte) (i * 7 + 3);
        }
        byte[] largest = new byte[ScheduleRecord.MAX_DEFINITION_BYTES];
        new Random(42).nextBytes(largest);
        byte[] nonUtf8 = {(byte) 0xC3, (byte) 0x28, 0, (byte) 0xFF, (byte) 0xFE, '\r', '\n', 0};
        Instant fire = clock().instant();
        storage().upsertSchedule(queue(), "every-byte", everyByte.clone(), fire);
        storage().upsertSchedule(queue(), "empty", new byte[0], fire);
        storage().upsertSchedule(queue(), "largest", largest.clone(), fire);
        ScheduleRecord returned = storage().upsertSchedule(queue(), "non-utf8", nonUtf8.clone(), fire);
        assertArrayEquals(nonUtf8, returned.definition());
        returned.definition()[0] = 'x';

        List<ScheduleRecord> all = storage().listSchedules(queue());
        assertEquals(List.of("empty", "every-byte", "largest", "non-utf8"), all.stream().map(ScheduleRecord::id).toList());
        assertArrayEquals(new byte[0], all.get(0).definition());
        assertArrayEquals(everyByte, all.get(1).definition());
        assertArrayEquals(largest, all.get(2).definition());
        assertArrayEquals(nonUtf8, all.get(3).definition(), "the stored definition must not change with the returned array");
        List<ScheduleRecord> due = storage().dueSchedules(queue(), 10);
        assertEquals(4, due.size());
        for (ScheduleRecord s : due) {
            assertArrayEquals(all.stream().filter(a -> a.id().equals(s.id())).findFirst().orElseThrow().definition(),
                    s.definition(), s.id());
        }
        assertEquals(1, storage().upsertSchedule(queue(), "largest", largest.clone(), fire.plusSeconds(1)).version(),
                "the same 64 KiB definition is unchanged");
        largest[ScheduleRecord.MAX_DEFINITION_BYTES - 1] ^= 1;
        assertEquals(2, storage().upsertSchedule(queue(), "largest", largest.clone(), fire).version(),
                "a definition differing in its last byte is a change");
    }

    /** listSchedules is sorted by id as {@link String#compareTo} orders them (UTF-16 code units). */
    @Test
    default void schedule_listIsSortedById() {
        List<String> ids = new ArrayList<>(List.of("b", "a", "B", "a:b", "a/b", "ab", "\u00e9", "\uFF21",
                "\uD83D\uDE00", "z", "0", " "));
        Instant fire = clock().instant().plusSeconds(60);
        for (String id : ids) {
            storage().upsertSchedule(queue(), id, bytes(id), fire);
        }
        ids.sort(Comparator.naturalOrder());
        assertEquals(ids, storage().listSchedules(queue()).stream().map(ScheduleRecord::id).toList());
    }

    /** removeSchedule answers whether it existed; a removed schedule is gone everywhere and can be created anew. */
    @Test
    default void schedule_remove() {
        Instant fire = clock().instant();
        storage().upsertSchedule(queue(), "gone", bytes("g"), fire);
        storage().upsertSchedule(queue(), "kept", bytes("k"), fire);
        assertTrue(storage().advanceSchedule(queue(), "gone", 1, fire));
        assertTrue(storage().removeSchedule(queue(), "gone"));
        assertFalse(storage().removeSchedule(queue(), "gone"));
        assertFalse(storage().removeSchedule(queue(), "never"));
        assertEquals(List.of("kept"), storage().listSchedules(queue()).stream().map(ScheduleRecord::id).toList());
        assertEquals(List.of("kept"), storage().dueSchedules(queue(), 10).stream().map(ScheduleRecord::id).toList());
        assertFalse(storage().advanceSchedule(queue(), "gone", 2, fire), "a removed schedule cannot be advanced");
        ScheduleRecord anew = storage().upsertSchedule(queue(), "gone", bytes("g"), fire.plusSeconds(1));
        assertEquals(new ScheduleRecord("gone", bytes("g"), fire.plusSeconds(1), 1), anew, "created anew");
    }

    /**
     * dueSchedules returns exactly the schedules whose nextFireAt is at or before now, earliest
     * first, at most {@code limit}; changes of fire time by upsert and advance move them in and out.
     */
    @Test
    default void schedule_dueSchedulesAreTheDueOnesEarliestFirst() {
        Instant now = clock().instant();
        storage().upsertSchedule(queue(), "later", bytes("l"), now.plusMillis(1));
        storage().upsertSchedule(queue(), "now", bytes("n"), now);
        storage().upsertSchedule(queue(), "hour", bytes("h"), now.plusSeconds(3_600));
        storage().upsertSchedule(queue(), "a-2s", bytes("2"), now.minusSeconds(2));
        storage().upsertSchedule(queue(), "z-1s", bytes("1"), now.minusSeconds(1));
        assertEquals(List.of("a-2s", "z-1s", "now"), dueIds(10));
        assertEquals(List.of("a-2s", "z-1s"), dueIds(2));
        assertEquals(List.of("a-2s"), dueIds(1));
        clock().advance(Duration.ofMillis(1));
        assertEquals(List.of("a-2s", "z-1s", "now", "later"), dueIds(10));

        assertTrue(storage().advanceSchedule(queue(), "a-2s", 1, now.plusSeconds(60)));
        storage().upsertSchedule(queue(), "hour", bytes("changed"), now.minusSeconds(5));
        assertEquals(List.of("hour", "z-1s", "now", "later"), dueIds(10));
        ScheduleRecord hour = storage().dueSchedules(queue(), 1).get(0);
        assertEquals(new ScheduleRecord("hour", bytes("changed"), now.minusSeconds(5), 2), hour);
        clock().advance(Duration.ofSeconds(60));
        assertEquals(List.of("hour", "z-1s", "now", "later", "a-2s"), dueIds(10));
    }

    /**
     * advanceSchedule is a compare-and-set: with the current version it sets nextFireAt and bumps
     * the version; with any other version, or for an unknown schedule, it answers false and changes nothing.
     */
    @Test
    default void schedule_advanceIsACompareAndSet() {
        Instant fire = clock().instant();
        storage().upsertSchedule(queue(), "s", bytes("d"), fire);
        assertFalse(storage().advanceSchedule(queue(), "s", 2, fire.plusSeconds(1)));
        assertFalse(storage().advanceSchedule(queue(), "unknown", 1, fire.plusSeconds(1)));
        assertEquals(List.of(new ScheduleRecord("s", bytes("d"), fire, 1)), storage().listSchedules(queue()));
        assertTrue(storage().advanceSchedule(queue(), "s", 1, fire.plusSeconds(60)));
        assertEquals(List.of(new ScheduleRecord("s", bytes("d"), fire.plusSeconds(60), 2)), storage().listSchedules(queue()));
        assertFalse(storage().advanceSchedule(queue(), "s", 1, fire.plusSeconds(120)), "the old version lost");
        assertEquals(List.of(new ScheduleRecord("s", bytes("d"), fire.plusSeconds(60), 2)), storage().listSchedules(queue()));
        assertTrue(storage().advanceSchedule(queue(), "s", 2, fire.minusSeconds(1)), "a fire time may also move back");
        assertEquals(List.of(new ScheduleRecord("s", bytes("d"), fire.minusSeconds(1), 3)), storage().dueSchedules(queue(), 5));
    }

    /**
     * Of many threads advancing the same version at once, exactly one wins, and the schedule holds
     * the winner's fire time; round after round.
     *
     * @throws Exception when a storage call or a thread fails unexpectedly, failing the test
     */
    @Test
    default void schedule_concurrentAdvancesOfOneVersionHaveExactlyOneWinner() throws Exception {
        int threads = 8;
        Instant fire = clock().instant();
        storage().upsertSchedule(queue(), "s", bytes("d"), fire);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (long version = 1; version <= 10; version++) {
                long expected = version;
                CyclicBarrier start = new CyclicBarrier(threads);
                List<Future<Boolean>> calls = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    Instant mine = fire.plusSeconds(version * 100 + t);
                    calls.add(pool.submit(() -> {
                        start.await();
                        return storage().advanceSchedule(queue(), "s", expected, mine);
                    }));
                }
                int winner = -1;
                for (int t = 0; t < threads; t++) {
                    if (calls.get(t).get(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                        assertEquals(-1, winner, "two advances of version " + version + " won: " + winner + " and " + t);
                        winner = t;
                    }
                }
                assertTrue(winner >= 0, "no advance of version " + version + " won");
                ScheduleRecord s = storage().listSchedules(queue()).get(0);
                assertEquals(version + 1, s.version());
                assertEquals(fire.plusSeconds(version * 100 + winner), s.nextFireAt());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Schedule ids are opaque names: colons, braces, slashes, "..", spaces, line breaks, unicode and
     * 1,024 chars are kept exactly and never collide; schedules of another queue (and jobs with the
     * same ids) are separate.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void schedule_oddIdsAndQueuesAreIsolated() throws Exception {
        List<String> ids = List.of("a:b", "a", "{a}", "{a", "a}", "a/b", "..", "../x", "a b", "line\nbreak",
                "\u00e9t\u00e9", "\u65e5\u672c", "\uD83D\uDE80", "*", "?", "%s", "x".repeat(1_024), "x".repeat(1_023));
        String other = queue() + "-other";
        Instant fire = clock().instant();
        for (int i = 0; i < ids.size(); i++) {
            storage().upsertSchedule(queue(), ids.get(i), bytes("def " + i), fire.plusMillis(i));
        }
        storage().upsertSchedule(other, "a", bytes("other"), fire.minusSeconds(1));
        storage().enqueue(queue(), job("a").build());

        List<ScheduleRecord> all = storage().listSchedules(queue());
        assertEquals(ids.stream().sorted().toList(), all.stream().map(ScheduleRecord::id).toList());
        for (ScheduleRecord s : all) {
            int i = ids.indexOf(s.id());
            assertEquals(new ScheduleRecord(ids.get(i), bytes("def " + i), fire.plusMillis(i), 1), s);
        }
        assertEquals(ids, dueIdsIn(queue(), 100, Duration.ofSeconds(1)));
        assertEquals(List.of(new ScheduleRecord("a", bytes("other"), fire.minusSeconds(1), 1)), storage().listSchedules(other));

        assertTrue(storage().advanceSchedule(queue(), "a", 1, fire.plusSeconds(60)));
        assertEquals(1, storage().listSchedules(other).get(0).version(), "the other queue's schedule is separate");
        assertTrue(storage().removeSchedule(other, "a"));
        assertEquals(ids.size(), storage().listSchedules(queue()).size());
        assertTrue(storage().removeSchedule(queue(), "{a"));
        assertEquals(ids.size() - 1, storage().listSchedules(queue()).size());
        assertTrue(storage().listSchedules(queue()).stream().anyMatch(s -> s.id().equals("{a}")));
        assertEquals(JobState.QUEUED, state("a"), "a job with the same id is separate");
        assertEquals(List.of(), storage().listSchedules(other));
    }

    private List<String> dueIds(int limit) {
        return storage().dueSchedules(queue(), limit).stream().map(ScheduleRecord::id).toList();
    }

    /** The ids due {@code ahead} from now in {@code queue}, moving the clock there. */
    private List<String> dueIdsIn(String queue, int limit, Duration ahead) {
        clock().advance(ahead);
        return storage().dueSchedules(queue, limit).stream().map(ScheduleRecord::id).toList();
    }
}
