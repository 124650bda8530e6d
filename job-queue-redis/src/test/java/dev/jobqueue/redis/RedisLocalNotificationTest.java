package dev.jobqueue.redis;

import static dev.jobqueue.contract.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobState;
import dev.jobqueue.contract.TestJobs;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.Completion;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.Subscription;
import dev.jobqueue.spi.TransitionOutcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * A job that only the finishing storage instance waits for is not PUBLISHed: that instance tells
 * its own listeners, with the terminal record. As soon as another instance waits too, the job is
 * published and every instance hears of it. Counted with INFO commandstats on a private server.
 */
class RedisLocalNotificationTest {
    private static final Duration LEASE = Duration.ofSeconds(30);

    /** Two storage instances on one private server, each listening to queue "q". */
    @FunctionalInterface
    private interface TwoInstances {
        void run(RedisStorage a, RedisStorage b, Map<String, JobSnapshot> seenByA, Map<String, JobSnapshot> seenByB,
                 Jedis stats) throws Exception;
    }

    @SuppressWarnings("try") // the subscriptions only need to be open while the body runs
    private static void withTwoInstances(Path dir, TwoInstances body) throws Exception {
        try (RedisProcess redis = RedisProcess.start(dir);
             RedisStorage a = RedisStorage.builder().uri(redis.url()).keyPrefix("n").build();
             RedisStorage b = RedisStorage.builder().uri(redis.url()).keyPrefix("n").build();
             Jedis stats = new Jedis("127.0.0.1", redis.port())) {
            Map<String, JobSnapshot> seenByA = new ConcurrentHashMap<>();
            Map<String, JobSnapshot> seenByB = new ConcurrentHashMap<>();
            try (Subscription sa = a.subscribe("q", (id, s) -> seenByA.put(id, s));
                 Subscription sb = b.subscribe("q", (id, s) -> seenByB.put(id, s))) {
                body.run(a, b, seenByA, seenByB, stats);
            }
        }
    }

    @Test
    void aJobOnlyThisInstanceWaitsForIsToldLocallyWithoutPublish(@TempDir Path dir) throws Exception {
        withTwoInstances(dir, (a, b, seenByA, seenByB, stats) -> {
            a.enqueue("q", TestJobs.job("mine").notifyOnTerminal(true).build());
            a.enqueue("q", TestJobs.job("batched").notifyOnTerminal(true).build());
            List<ClaimedJob> claimed = a.claim("q", "w", 2, LEASE, Duration.ZERO);
            stats.configResetStat();
            assertEquals(TransitionOutcome.APPLIED, a.complete("q", lease(claimed.get(0)), utf8("r1"), null));
            assertEquals(List.of(TransitionOutcome.APPLIED),
                    a.completeAll("q", List.of(new Completion(lease(claimed.get(1)), utf8("r2"), null))));

            assertEquals(0L, publishCalls(stats), "nothing published for jobs only this instance waits for");
            JobSnapshot mine = seenByA.get("mine");
            assertEquals(JobState.COMPLETED, mine.state(), "told at once, with the terminal record");
            assertEquals("r1", new String(mine.result(), StandardCharsets.UTF_8));
            assertEquals("r2", new String(seenByA.get("batched").result(), StandardCharsets.UTF_8));
            assertTrue(seenByB.isEmpty(), "the other instance waits for neither job: " + seenByB.keySet());
        });
    }

    @Test
    void aJobAnotherInstanceWaitsForIsPublishedToAll(@TempDir Path dir) throws Exception {
        withTwoInstances(dir, (a, b, seenByA, seenByB, stats) -> {
            a.enqueue("q", TestJobs.job("shared").notifyOnTerminal(true).build());
            b.enqueue("q", TestJobs.job("shared").notifyOnTerminal(true).build()); // b waits too: a duplicate
            b.enqueue("q", TestJobs.job("theirs").notifyOnTerminal(true).build());
            List<ClaimedJob> claimed = a.claim("q", "w", 2, LEASE, Duration.ZERO);
            stats.configResetStat();
            a.completeAll("q", claimed.stream().map(c -> new Completion(lease(c), utf8("r-" + c.id()), null)).toList());

            assertEquals(2L, publishCalls(stats), "both jobs have a waiter elsewhere");
            await("b told of both", () -> seenByB.keySet().containsAll(List.of("shared", "theirs")));
            await("a told of both", () -> seenByA.keySet().containsAll(List.of("shared", "theirs")));
            assertEquals("r-shared", new String(seenByB.get("shared").result(), StandardCharsets.UTF_8));
        });
    }

    private static LeaseRef lease(ClaimedJob c) {
        return new LeaseRef(c.id(), c.fencingToken());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static long publishCalls(Jedis stats) {
        for (String line : stats.info("commandstats").split("\r\n")) {
            if (line.startsWith("cmdstat_publish:")) {
                return Long.parseLong(line.substring(line.indexOf("calls=") + 6, line.indexOf(',')));
            }
        }
        return 0;
    }
}
