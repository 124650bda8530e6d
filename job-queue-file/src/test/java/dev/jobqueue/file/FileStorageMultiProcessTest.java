package dev.jobqueue.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobState;
import dev.jobqueue.contract.ChildJvm;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.NewJob;
import dev.jobqueue.spi.Subscription;
import dev.jobqueue.spi.TerminalListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Several processes on one directory: no double claims, prompt cross-process wake-ups and notifications. */
class FileStorageMultiProcessTest {
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private Path dir;

    @BeforeEach
    void createDir() {
        dir = TempDirs.create("multi");
    }

    @AfterEach
    void deleteDir() {
        TempDirs.delete(dir);
    }

    @Test
    void twoConsumerJvmsCompleteEachOfTenThousandJobsExactlyOnce() throws Exception {
        int total = 10_000;
        String queue = "shared";
        // Small compaction threshold: all three processes compact the directory many times meanwhile.
        long compaction = 256 * 1024;
        try (FileStorage producer = FileStorage.open(dir,
                FileStorageOptions.builder().compactionThresholdBytes(compaction).build())) {
            Set<String> notified = ConcurrentHashMap.newKeySet();
            Subscription subscription = producer.subscribe(queue, (id, snapshot) -> notified.add(id));
            try (ChildJvm a = ChildJvm.start(ConsumeChild.class, dir.toString(), queue, "a", "" + total, "" + compaction);
                 ChildJvm b = ChildJvm.start(ConsumeChild.class, dir.toString(), queue, "b", "" + total, "" + compaction)) {
                a.awaitLines(lines -> lines.contains("ready"), PATIENCE, "consumer a ready");
                b.awaitLines(lines -> lines.contains("ready"), PATIENCE, "consumer b ready");
                for (int from = 0; from < total; from += 250) {
                    List<NewJob> jobs = new ArrayList<>();
                    for (int i = from; i < from + 250; i++) {
                        jobs.add(job("job-" + i));
                    }
                    producer.enqueueBatch(queue, jobs);
                }
                assertEquals(0, a.awaitExit(PATIENCE), a.stderrText());
                assertEquals(0, b.awaitExit(PATIENCE), b.stderrText());

                Map<String, String> doneBy = new HashMap<>();
                List<String> doubles = new ArrayList<>();
                for (ChildJvm child : List.of(a, b)) {
                    for (String line : child.lines()) {
                        assertFalse(line.startsWith("lost "), "a completion was rejected: " + line);
                        if (line.startsWith("done ")) {
                            String id = line.substring(5);
                            if (doneBy.put(id, child == a ? "a" : "b") != null) {
                                doubles.add(id);
                            }
                        }
                    }
                }
                assertEquals(List.of(), doubles, "jobs completed twice");
                assertEquals(total, doneBy.size());
                long byA = doneBy.values().stream().filter("a"::equals).count();
                System.out.println("two consumers: a completed " + byA + ", b completed " + (total - byA));
            }
            for (int i = 0; i < total; i++) {
                JobSnapshot s = producer.status(queue, "job-" + i).orElseThrow();
                assertEquals(JobState.COMPLETED, s.state());
                assertEquals(1, s.attempts(), "job-" + i + " was claimed more than once");
            }
            // Completions made by the other processes reached this process's subscribers.
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (notified.size() < total && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(total, notified.size(), "terminal notifications seen from other processes");
            subscription.close();
        }
    }

    @Test
    void aWaitingClaimerWakesWhenAnotherProcessEnqueues() throws Exception {
        try (FileStorage storage = FileStorage.open(dir)) {
            CompletableFuture<List<ClaimedJob>> claim = CompletableFuture.supplyAsync(() -> {
                try {
                    return storage.claim("wake", "w", 1, Duration.ofMinutes(1), Duration.ofSeconds(60));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            try (ChildJvm child = ChildJvm.start(EnqueueChild.class, dir.toString(), "wake", "other", "1", "1")) {
                assertEquals(0, child.awaitExit(PATIENCE), child.stderrText());
            }
            List<ClaimedJob> got = claim.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertEquals(1, got.size(), "the claim waiting for up to 60 s must return the other process's job");
            assertEquals("other-0", got.get(0).id());
            assertEquals("other-0", new String(got.get(0).payload(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void aProcessSeesStateWrittenByAnotherOneWithoutReopening() throws Exception {
        try (FileStorage first = FileStorage.open(dir); FileStorage second = FileStorage.open(dir)) {
            // Two instances in one JVM share nothing but the directory, like two processes.
            first.enqueue("q", job("x"));
            ClaimedJob claimed = second.claim("q", "w2", 1, Duration.ofMinutes(1), Duration.ZERO).get(0);
            assertTrue(first.claim("q", "w1", 1, Duration.ofMinutes(1), Duration.ZERO).isEmpty(),
                    "a job claimed through one instance must not be claimable through the other");
            Set<String> seen = new HashSet<>();
            TerminalListener listener = (id, snapshot) -> seen.add(id + ":" + snapshot.state());
            Subscription subscription = first.subscribe("q", listener);
            second.complete("q", new dev.jobqueue.spi.LeaseRef("x", claimed.fencingToken()), new byte[] {1}, null);
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (seen.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(Set.of("x:COMPLETED"), seen);
            subscription.close();
            assertEquals(JobState.COMPLETED, first.status("q", "x").orElseThrow().state());
            first.compact();
            second.enqueue("q", job("y"));
            assertEquals(JobState.QUEUED, first.status("q", "y").orElseThrow().state());
            second.compact();
            first.compact();
            assertEquals(JobState.COMPLETED, second.status("q", "x").orElseThrow().state());
            assertEquals("y", first.claim("q", "w1", 1, Duration.ofMinutes(1), Duration.ZERO).get(0).id());
        }
    }

    @Test
    void aLeaderLockHeldThroughOneInstanceIsRespectedByAnother() {
        try (FileStorage first = FileStorage.open(dir); FileStorage second = FileStorage.open(dir)) {
            Duration ttl = Duration.ofMinutes(1);
            assertTrue(first.acquireLock("q", "reaper", "first", ttl));
            assertFalse(second.acquireLock("q", "reaper", "second", ttl));
            assertFalse(second.renewLock("q", "reaper", "second", ttl));
            assertFalse(second.releaseLock("q", "reaper", "second"));
            assertTrue(first.renewLock("q", "reaper", "first", ttl));
            assertTrue(first.releaseLock("q", "reaper", "first"));
            assertTrue(second.acquireLock("q", "reaper", "second", ttl));
            assertFalse(first.acquireLock("q", "reaper", "first", ttl));
        }
        try (FileStorage reopened = FileStorage.open(dir)) {
            assertFalse(reopened.acquireLock("q", "reaper", "third", Duration.ofMinutes(1)),
                    "a held lock survives a restart until its TTL ends");
        }
    }

    private static NewJob job(String id) {
        return new NewJob(id, id.getBytes(StandardCharsets.UTF_8), 0, Duration.ZERO, null, 3, 1, Duration.ofHours(1), false);
    }
}
