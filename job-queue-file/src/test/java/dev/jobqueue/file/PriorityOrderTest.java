package dev.jobqueue.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.NewJob;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Extreme priorities order like any others: higher first, FIFO within one priority, also after reopen. */
class PriorityOrderTest {
    private Path dir;

    @BeforeEach
    void createDir() {
        dir = TempDirs.create("priority");
    }

    @AfterEach
    void deleteDir() {
        TempDirs.delete(dir);
    }

    @Test
    void minAndMaxValuePrioritiesRunLastAndFirst() {
        try (FileStorage storage = FileStorage.open(dir)) {
            enqueue(storage, "min-1", Integer.MIN_VALUE);
            enqueue(storage, "zero", 0);
            enqueue(storage, "max-1", Integer.MAX_VALUE);
            enqueue(storage, "minus-one", -1);
            enqueue(storage, "min-2", Integer.MIN_VALUE);
            enqueue(storage, "near-min", Integer.MIN_VALUE + 1);
            enqueue(storage, "one", 1);
            enqueue(storage, "max-2", Integer.MAX_VALUE);
            enqueue(storage, "near-max", Integer.MAX_VALUE - 1);
        }
        List<String> expected = List.of("max-1", "max-2", "near-max", "one", "zero", "minus-one", "near-min",
                "min-1", "min-2");
        // Reopened, the order comes from replaying the journal; compacted, from the snapshot.
        try (FileStorage storage = FileStorage.open(dir)) {
            storage.compact();
        }
        try (FileStorage storage = FileStorage.open(dir)) {
            assertEquals(expected, claimAll(storage));
        }
    }

    @Test
    void aMinValueJobDoesNotOvertakeDefaultPriorityInTheRunningStorage() {
        try (FileStorage storage = FileStorage.open(dir)) {
            enqueue(storage, "default", 0);
            enqueue(storage, "lowest", Integer.MIN_VALUE);
            enqueue(storage, "highest", Integer.MAX_VALUE);
            assertEquals(List.of("highest", "default", "lowest"), claimAll(storage));
        }
    }

    private static void enqueue(FileStorage storage, String id, int priority) {
        storage.enqueue("q", new NewJob(id, new byte[1], priority, Duration.ZERO, null, 3, 1, Duration.ofHours(1), false));
    }

    private static List<String> claimAll(FileStorage storage) {
        List<String> order = new ArrayList<>();
        try {
            List<ClaimedJob> claimed;
            while (!(claimed = storage.claim("q", "w", 1, Duration.ofMinutes(1), Duration.ZERO)).isEmpty()) {
                order.add(claimed.get(0).id());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return order;
    }
}
