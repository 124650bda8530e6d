package dev.jobqueue.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobError;
import dev.jobqueue.JobState;
import dev.jobqueue.RetryResult;
import dev.jobqueue.contract.ManualClock;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.FinishedTotals;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.NewJob;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * finishedTotals and queueNames on disk: the totals survive a reopen from the journal and from a
 * snapshot (compaction), outlive the records they counted (expired), are the same for a second
 * instance that only replays the journal, and a TTL update of a finished job does not count it twice.
 */
class FileFinishedTotalsTest {
    private static final String Q = "totals:{q}/ü";
    private final ManualClock clock = new ManualClock();
    private Path dir;

    @BeforeEach
    void createDir() {
        dir = TempDirs.create("totals");
    }

    @AfterEach
    void deleteDir() {
        TempDirs.delete(dir);
    }

    private FileStorage open() {
        return FileStorage.open(dir, FileStorageOptions.builder().clock(clock).build());
    }

    private static NewJob job(String id, int maxStalls) {
        return new NewJob(id, ("p-" + id).getBytes(StandardCharsets.UTF_8), 0, Duration.ZERO, null, 1, maxStalls,
                Duration.ofMinutes(1), false, Map.of());
    }

    private static LeaseRef lease(ClaimedJob c) {
        return new LeaseRef(c.id(), c.fencingToken());
    }

    @ParameterizedTest(name = "compact before reopening: {0}")
    @ValueSource(booleans = {false, true})
    void totalsSurviveReopenAndOutliveTheirRecords(boolean compact) throws Exception {
        try (FileStorage s = open(); FileStorage other = open()) {
            for (String id : List.of("c1", "c2", "f1")) {
                s.enqueue(Q, job(id, 1));
            }
            s.enqueue(Q, job("stall", 0));
            List<ClaimedJob> claimed = s.claim(Q, "w", 10, Duration.ofSeconds(30), Duration.ZERO);
            assertEquals(4, claimed.size());
            for (ClaimedJob c : claimed) {
                switch (c.id()) {
                    case "c1", "c2" -> s.complete(Q, lease(c), new byte[0], null);
                    case "f1" -> s.fail(Q, lease(c), new JobError("E", "boom", null, null, 1, clock.instant()), null);
                    default -> { } // "stall" is left to expire
                }
            }
            s.updateResultTtl(Q, "c1", Duration.ofMinutes(2));
            clock.advance(Duration.ofSeconds(30));
            s.requeueExpired(Q, 10);
            assertEquals(JobState.FAILED, s.status(Q, "stall").orElseThrow().state());
            assertEquals(RetryResult.RETRIED, s.retryJob(Q, "f1"));
            ClaimedJob again = s.claim(Q, "w", 1, Duration.ofSeconds(30), Duration.ZERO).get(0);
            s.complete(Q, lease(again), new byte[0], null);
            assertEquals(new FinishedTotals(3, 2), s.finishedTotals(Q));
            assertEquals(new FinishedTotals(3, 2), other.finishedTotals(Q), "another instance replays the same totals");
            assertEquals(List.of(Q), other.queueNames());
            if (compact) {
                s.compact();
            }
        }
        clock.advance(Duration.ofMinutes(3)); // every record expired
        try (FileStorage s = open()) {
            assertEquals(new FinishedTotals(3, 2), s.finishedTotals(Q));
            assertFalse(s.queueNames().contains(Q), "no live record, no pause flag");
            s.compact(); // a snapshot without the records still carries the totals
        }
        try (FileStorage s = open()) {
            assertEquals(new FinishedTotals(3, 2), s.finishedTotals(Q));
            s.setPaused(Q, true);
            assertTrue(s.queueNames().contains(Q), "the pause flag alone lists the queue");
        }
    }
}
