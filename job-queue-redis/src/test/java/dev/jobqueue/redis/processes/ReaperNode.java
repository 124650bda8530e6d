package dev.jobqueue.redis.processes;

import dev.jobqueue.Reaper;
import dev.jobqueue.ReaperListener;
import dev.jobqueue.contract.ChildJvm;
import dev.jobqueue.redis.RedisStorage;
import dev.jobqueue.spi.StalledJob;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * Child JVM of the reaper failover test: a Reaper with leader election that logs
 * {@code <epochMillis> ACQUIRED|LOST|STALLED <id>} lines to its own file.
 * Args: redisUrl keyPrefix queue reaperId logFile lockTtlMillis.
 */
public final class ReaperNode {
    private ReaperNode() {
    }

    public static void main(String[] args) throws Exception {
        Duration lockTtl = Duration.ofMillis(Long.parseLong(args[5]));
        try (RedisStorage storage = RedisStorage.builder().uri(args[0]).keyPrefix(args[1]).build();
             FileOutputStream log = new FileOutputStream(args[4], true)) {
            ReaperListener listener = new ReaperListener() {
                @Override
                public void leadershipAcquired(String reaperId) {
                    write(log, "ACQUIRED " + reaperId);
                }

                @Override
                public void leadershipLost(String reaperId) {
                    write(log, "LOST " + reaperId);
                }

                @Override
                public void stalled(StalledJob job) {
                    write(log, "STALLED " + job.id());
                }
            };
            Reaper reaper = Reaper.builder(storage).name(args[2]).reaperId(args[3]).leaderElection(true)
                    .lockTtl(lockTtl).renewInterval(lockTtl.dividedBy(4)).acquireRetryInterval(Duration.ofMillis(200))
                    .scanInterval(Duration.ofMillis(100)).listener(listener).build();
            reaper.start();
            ChildJvm.awaitStdinClosed();
            reaper.close();
        }
    }

    private static void write(FileOutputStream log, String event) {
        try {
            ChildJvm.appendLine(log, System.currentTimeMillis() + " " + event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
