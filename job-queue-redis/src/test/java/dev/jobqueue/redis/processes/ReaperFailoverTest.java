package dev.jobqueue.redis.processes;

import static dev.jobqueue.redis.processes.ReaperLogs.events;
import static dev.jobqueue.redis.processes.ReaperLogs.log;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobState;
import dev.jobqueue.contract.ChildJvm;
import dev.jobqueue.contract.TestJobs;
import dev.jobqueue.redis.RedisStorage;
import dev.jobqueue.redis.RedisTestServer;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.JobSnapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Reaper JVMs with leader election on one Redis: exactly one leads; after the leader is
 * SIGKILLed the other leads within lockTtl + acquire-retry interval (plus scheduling slack), never
 * before the dead leader's lock could have expired, and recovers the stalled jobs.
 */
class ReaperFailoverTest {
    private static final long LOCK_TTL_MILLIS = 4000;
    private static final long RETRY_MILLIS = 200;
    /** Room for JVM and scheduling pauses on a loaded 2-core machine; the bound checked is still lockTtl-based. */
    private static final long SLACK_MILLIS = 5000;

    @Test
    void theFollowerTakesOverWhenTheLeaderIsKilledAndRecoversStalledJobs(@TempDir Path dir) throws Exception {
        String url = RedisTestServer.url();
        String prefix = RedisTestServer.uniquePrefix();
        String queue = "failover";
        List<ChildJvm> nodes = new ArrayList<>();
        try (RedisStorage storage = RedisStorage.builder().uri(url).keyPrefix(prefix).build()) {
            for (String id : List.of("a", "b")) {
                nodes.add(ChildJvm.builder(ReaperNode.class).keepOutputIn(dir.resolve(id)).args(url, prefix, queue,
                        "reaper-" + id, log(dir, id).toString(), Long.toString(LOCK_TTL_MILLIS)).start());
            }
            MultiProcessCrashTest.awaitCondition(() -> events(dir, "a", "ACQUIRED").size() + events(dir, "b", "ACQUIRED").size() >= 1,
                    "a leader", dir);
            String leader = events(dir, "a", "ACQUIRED").isEmpty() ? "b" : "a";
            String follower = leader.equals("a") ? "b" : "a";

            // jobs held by a worker that dies now: their leases end after the leader is gone
            for (int i = 0; i < 5; i++) {
                storage.enqueue(queue, TestJobs.job("stalled-" + i).build());
            }
            List<ClaimedJob> held = storage.claim(queue, "dead-worker", 5, Duration.ofMillis(LOCK_TTL_MILLIS + 500), Duration.ZERO);
            assertEquals(5, held.size());

            long killedAt = System.currentTimeMillis();
            nodes.get(leader.equals("a") ? 0 : 1).kill();

            MultiProcessCrashTest.awaitCondition(() -> !events(dir, follower, "ACQUIRED").isEmpty(), "the follower leads", dir);
            long takeover = events(dir, follower, "ACQUIRED").get(0);
            assertTrue(takeover >= killedAt,
                    "the follower led at " + takeover + " while the leader lived until " + killedAt + ": overlapping leaders");
            assertTrue(takeover - killedAt <= LOCK_TTL_MILLIS + RETRY_MILLIS + SLACK_MILLIS,
                    "took over " + (takeover - killedAt) + " ms after the kill");
            assertEquals(1, events(dir, leader, "ACQUIRED").size(), "the killed leader led once");

            MultiProcessCrashTest.awaitCondition(() -> events(dir, follower, "STALLED").size() >= 5,
                    "the new leader recovers the stalled jobs", dir);
            for (ClaimedJob c : held) {
                JobSnapshot s = storage.status(queue, c.id()).orElseThrow();
                assertEquals(1, s.stalls(), c.id());
                assertTrue(s.state() == JobState.QUEUED, c.id() + " is " + s.state());
            }
            Optional<Long> followerLost = events(dir, follower, "LOST").stream().findFirst();
            assertTrue(followerLost.isEmpty(), "the new leader kept its leadership");
        } finally {
            for (ChildJvm n : nodes) {
                if (n.isAlive()) {
                    n.stop(MultiProcessCrashTest.CHILD_PATIENCE);
                }
            }
            RedisTestServer.deleteKeys(prefix);
        }
    }
}
