package dev.jobqueue.file;

import static dev.jobqueue.file.LockedSteps.locked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobState;
import dev.jobqueue.file.RecordCodec.RecordBuffer;
import dev.jobqueue.spi.NewJob;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Compaction across generations: by another instance, repeatedly, interrupted half-way, with its
 * snapshot still being written in the background, failing, and under concurrent load.
 */
class CompactionTest {
    private Path dir;

    @BeforeEach
    void createDir() {
        dir = TempDirs.create("compaction");
    }

    @AfterEach
    void deleteDir() {
        TempDirs.delete(dir);
    }

    @Test
    void anInstanceFollowsCompactionsByAnotherWhetherItCatchesUpBetweenThemOrNot() {
        try (FileStorage a = FileStorage.open(dir); FileStorage b = FileStorage.open(dir)) {
            for (int round = 0; round < 20; round++) {
                a.enqueue("q", job("x" + round));
                a.compact();
                a.enqueue("q", job("y" + round));
                a.compact();
                a.compact();
                a.enqueue("q", job("z" + round));
                // b may have caught up after any of these steps (its watcher runs meanwhile) or
                // only now, after the generations it knew are gone: either way it sees everything.
                for (String id : List.of("x" + round, "y" + round, "z" + round)) {
                    assertEquals(JobState.QUEUED, b.status("q", id).orElseThrow().state(), id);
                }
                b.enqueue("q", job("w" + round));
                b.compact();
                assertEquals(JobState.QUEUED, a.status("q", "w" + round).orElseThrow().state());
            }
            assertEquals(80L, a.counts("q").get(JobState.QUEUED));
            assertEquals(80L, b.counts("q").get(JobState.QUEUED));
        }
        try (FileStorage reopened = FileStorage.open(dir)) {
            assertEquals(80L, reopened.counts("q").get(JobState.QUEUED));
        }
    }

    @Test
    void aCompactionInterruptedAfterItsRotateRecordIsCompletedOnOpen() throws Exception {
        try (FileStorage storage = FileStorage.open(dir)) {
            storage.enqueue("q", job("before"));
        }
        // A compacting process that died right after step 1: ROTATE appended, no new snapshot or journal.
        Path journal = dir.resolve("journal-0000000000000001.log");
        RecordBuffer rotate = new RecordBuffer();
        rotate.rotate(2);
        try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(rotate.asByteBuffer());
        }
        try (FileStorage storage = FileStorage.open(dir)) {
            assertEquals(JobState.QUEUED, storage.status("q", "before").orElseThrow().state());
            storage.enqueue("q", job("after"));
        }
        assertEquals(List.of("journal-0000000000000002.log", "lock", "snapshot-0000000000000002.dat"), files());
        try (FileStorage storage = FileStorage.open(dir)) {
            assertEquals(2L, storage.counts("q").get(JobState.QUEUED));
        }
    }

    @Test
    void aReaderThatSleptThroughTwoCompactionsReloadsAndSaysNotificationsMayBeMissed() throws Exception {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        try (StorageDirectory dirA = StorageDirectory.open(dir); StorageDirectory dirB = StorageDirectory.open(dir)) {
            StateIndex stateA = new StateIndex();
            StateIndex stateB = new StateIndex();
            Journal a = new Journal(dirA, stateA);
            Journal b = new Journal(dirB, stateB);
            BatchEffects effectsB = new BatchEffects();
            b.collectInto(effectsB);
            locked(dirA, () -> a.recover(now));
            locked(dirB, () -> b.recover(now));
            Transitions writer = new Transitions(stateA, a);
            locked(dirA, () -> {
                writer.enqueue("q", job("one"), now);
                a.appendPending();
                a.compact(now);
                writer.enqueue("q", job("two"), now);
                a.appendPending();
                a.compact(now);
            });
            locked(dirB, () -> b.catchUp(now));
            assertTrue(effectsB.reloaded, "b must report that it rebuilt its index");
            assertEquals(2L, stateB.find("q").count(JobState.QUEUED, now));
            a.close();
            b.close();
        }
    }

    @Test
    void untilItsSnapshotIsWrittenTheRotatedGenerationStaysAndEveryReaderFollowsTheChain() throws Exception {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        try (StorageDirectory dirA = StorageDirectory.open(dir); StorageDirectory dirB = StorageDirectory.open(dir)) {
            StateIndex stateA = new StateIndex();
            StateIndex stateB = new StateIndex();
            Journal a = new Journal(dirA, stateA);
            Journal b = new Journal(dirB, stateB);
            locked(dirA, () -> a.recover(now));
            locked(dirB, () -> b.recover(now));
            Transitions writer = new Transitions(stateA, a);
            Journal.PendingSnapshot[] pending = new Journal.PendingSnapshot[1];
            locked(dirA, () -> {
                writer.enqueue("q", job("one"), now);
                a.appendPending();
                pending[0] = a.rotate(now);
                writer.enqueue("q", job("two"), now);
                a.appendPending();
            });
            // The snapshot is still being written (a leftover temp file says so): b follows the
            // ROTATE into journal 2 but must not delete journal 1, which the state still needs.
            Files.write(dir.resolve("snapshot-0000000000000002.tmp"), new byte[] {1, 2, 3});
            locked(dirB, () -> b.catchUp(now));
            assertEquals(2L, stateB.find("q").count(JobState.QUEUED, now));
            assertEquals(List.of("journal-0000000000000001.log", "journal-0000000000000002.log", "lock",
                    "snapshot-0000000000000002.tmp"), files());
            // A process opening now (or after a crash here) reads journal 1, then journal 2.
            StateIndex stateC = new StateIndex();
            try (StorageDirectory dirC = StorageDirectory.open(dir)) {
                Journal c = new Journal(dirC, stateC);
                locked(dirC, () -> c.recover(now));
                c.close();
            }
            assertEquals(2L, stateC.find("q").count(JobState.QUEUED, now));
            long size = a.writeSnapshot(pending[0]);
            locked(dirA, () -> a.snapshotWritten(pending[0].generation(), size));
            assertEquals(List.of("journal-0000000000000002.log", "lock", "snapshot-0000000000000002.dat"), files());
            a.close();
            b.close();
        }
        try (FileStorage reopened = FileStorage.open(dir)) {
            assertEquals(2L, reopened.counts("q").get(JobState.QUEUED));
        }
    }

    @Test
    void aSnapshotThatCannotBeWrittenLosesNothingAndTheStorageGoesOn() throws Exception {
        // A non-empty directory where the temp file must go makes writing snapshot 2 fail.
        Path obstacle = Files.createDirectories(dir.resolve("snapshot-0000000000000002.tmp").resolve("x"));
        try (FileStorage storage = FileStorage.open(dir)) {
            storage.enqueue("q", job("before"));
            UncheckedIOException e = assertThrows(UncheckedIOException.class, storage::compact);
            assertTrue(e.getMessage().contains("snapshot"), e.getMessage());
            storage.enqueue("q", job("after"));
            assertEquals(2L, storage.counts("q").get(JobState.QUEUED));
        }
        try (FileStorage reopened = FileStorage.open(dir)) {
            assertEquals(2L, reopened.counts("q").get(JobState.QUEUED));
            Files.delete(obstacle);
            Files.delete(obstacle.getParent());
            reopened.compact();
            reopened.enqueue("q", job("last"));
        }
        assertEquals(List.of("journal-0000000000000003.log", "lock", "snapshot-0000000000000003.dat"), files());
        try (FileStorage reopened = FileStorage.open(dir)) {
            assertEquals(3L, reopened.counts("q").get(JobState.QUEUED));
        }
    }

    @Test
    void compactionsUnderLoadKeepEveryJobAndLeaveOneGeneration() throws Exception {
        FileStorageOptions options = FileStorageOptions.builder().durability(Durability.FSYNC_BATCHED)
                .compactionThresholdBytes(64 * 1024).build();
        int producers = 4;
        int perProducer = 3_000;
        try (FileStorage storage = FileStorage.open(dir, options)) {
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                String prefix = "p" + p + "-";
                threads.add(new Thread(() -> {
                    for (int i = 0; i < perProducer; i++) {
                        storage.enqueue("q", job(prefix + i));
                        if (i % 1_000 == 999) {
                            storage.compact(); // explicit compactions meet automatic ones in flight
                        }
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            assertEquals((long) producers * perProducer, storage.counts("q").get(JobState.QUEUED));
            storage.compact();
            List<String> files = files();
            assertEquals(3, files.size(), files.toString());
        }
        try (FileStorage reopened = FileStorage.open(dir)) {
            assertEquals((long) producers * perProducer, reopened.counts("q").get(JobState.QUEUED));
        }
    }

    private List<String> files() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static NewJob job(String id) {
        return new NewJob(id, id.getBytes(java.nio.charset.StandardCharsets.UTF_8), 0, Duration.ZERO, null, 3, 1,
                Duration.ofHours(1), false);
    }
}
