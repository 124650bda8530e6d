package dev.jobqueue.redis.processes;

import static dev.jobqueue.redis.processes.ReaperLogs.events;
import static dev.jobqueue.redis.processes.ReaperLogs.log;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.contract.ChildJvm;
import dev.jobqueue.redis.RedisTestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to the leading Reaper's JVM: the reaper stops from its JVM shutdown hook and releases
 * the leader lock, so the follower leads at once, not after the one-minute lockTtl that a
 * SIGKILLed leader makes it wait (see {@link ReaperFailoverTest}).
 */
class ReaperSigtermTest {
    private static final long LOCK_TTL_MILLIS = 60_000;
    /** Far below lockTtl, far above the follower's 200 ms acquire retry plus JVM and scheduling pauses. */
    private static final long PROMPT_MILLIS = 20_000;

    @Test
    void aTerminatedLeaderReleasesItsLockAndTheFollowerLeadsAtOnce(@TempDir Path dir) throws Exception {
        String url = RedisTestServer.url();
        String prefix = RedisTestServer.uniquePrefix();
        List<ChildJvm> nodes = new ArrayList<>();
        try {
            for (String id : List.of("a", "b")) {
                nodes.add(ChildJvm.builder(ReaperNode.class).keepOutputIn(dir.resolve(id)).args(url, prefix, "sigterm",
                        "reaper-" + id, log(dir, id).toString(), Long.toString(LOCK_TTL_MILLIS)).start());
            }
            MultiProcessCrashTest.awaitCondition(() -> !events(dir, "a", "ACQUIRED").isEmpty()
                    || !events(dir, "b", "ACQUIRED").isEmpty(), "a leader", dir);
            String leader = events(dir, "a", "ACQUIRED").isEmpty() ? "b" : "a";
            String follower = leader.equals("a") ? "b" : "a";
            ChildJvm leaderJvm = nodes.get(leader.equals("a") ? 0 : 1);

            long terminatedAt = System.currentTimeMillis();
            assertTrue(ProcessHandle.of(leaderJvm.pid()).orElseThrow().destroy(), "SIGTERM sent");
            leaderJvm.awaitExit(MultiProcessCrashTest.CHILD_PATIENCE);

            assertFalse(events(dir, leader, "LOST").isEmpty(), "the terminated leader gave its leadership up");
            MultiProcessCrashTest.awaitCondition(() -> !events(dir, follower, "ACQUIRED").isEmpty(), "the follower leads", dir);
            long tookOver = events(dir, follower, "ACQUIRED").get(0) - terminatedAt;
            assertTrue(tookOver < PROMPT_MILLIS, "the follower led " + tookOver + " ms after SIGTERM; lockTtl is "
                    + LOCK_TTL_MILLIS + " ms");
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
