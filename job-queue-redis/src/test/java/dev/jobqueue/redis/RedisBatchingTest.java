package dev.jobqueue.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobState;
import dev.jobqueue.contract.TestJobs;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.Completion;
import dev.jobqueue.spi.EnqueueOutcome;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.NewJob;
import dev.jobqueue.spi.TransitionOutcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;

/**
 * Batching, counted with INFO commandstats on the test's own redis-server: pending calls of one
 * script and queue become one EVALSHA with one reply per caller; big batches are split so that no
 * script run carries more than a few MB.
 */
class RedisBatchingTest {
    @Test
    void pendingCallsOfOneScriptAndQueueShareOneEvalsha(@TempDir Path dir) throws Exception {
        try (RedisProcess redis = RedisProcess.start(dir);
             RedisStorage storage = RedisStorage.builder().uri(redis.url()).keyPrefix("b").build();
             RedisClient admin = RedisClient.create(redis.url());
             Jedis stats = new Jedis("127.0.0.1", redis.port())) {
            for (String id : List.of("a", "b", "c")) {
                storage.enqueue("q", TestJobs.job(id).build());
            }
            List<ClaimedJob> claimed = storage.claim("q", "w", 3, Duration.ofSeconds(30), Duration.ZERO);
            KeySpace keys = new KeySpace("b", "q");
            LuaScript complete = LuaScript.load("complete", LuaScript.resource("prelude.lua"));
            ScriptExecutor executor = new ScriptExecutor(admin, "test", 1, Duration.ofSeconds(5), RedisStorage.daemonThreads("test"));
            List<ScriptCall> completes = new ArrayList<>();
            for (ClaimedJob c : claimed) {
                List<byte[]> head = List.of(keys.baseBytes(), new byte[0], ascii("0"), ascii("test-tag"));
                List<byte[]> item = List.of(KeySpace.hexId(c.id()), ascii(Long.toString(c.fencingToken())),
                        ascii("r-" + c.id()), new byte[0], ascii("7"));
                completes.add(ScriptCall.batch(complete, keys.fixedKeys(), head, item, 1, () -> keys.jobKey(c.id())));
            }
            stats.configResetStat();
            List<Object> replies = executor.executeAll(completes);

            assertEquals(1L, evalshaCalls(stats), "three completes, one EVALSHA");
            for (Object r : replies) {
                assertEquals(List.of(1L), r, "each caller gets its own APPLIED");
            }
            assertEquals(3L, storage.counts("q").get(JobState.COMPLETED));
        }
    }

    @Test
    void aBigBatchIsSplitIntoShortScriptRunsAndKeepsItsOrder(@TempDir Path dir) throws Exception {
        try (RedisProcess redis = RedisProcess.start(dir);
             RedisStorage storage = RedisStorage.builder().uri(redis.url()).keyPrefix("b").build();
             Jedis stats = new Jedis("127.0.0.1", redis.port())) {
            List<NewJob> jobs = new ArrayList<>();
            byte[] payload = new byte[20 * 1024];
            for (int i = 0; i < 300; i++) {
                jobs.add(TestJobs.job("job-" + i).payload(payload).build());
            }
            stats.configResetStat();
            List<EnqueueOutcome> outcomes = storage.enqueueBatch("q", jobs);
            long calls = evalshaCalls(stats) + evalCalls(stats);

            assertEquals(300, outcomes.size());
            assertTrue(outcomes.stream().allMatch(EnqueueOutcome::created));
            assertTrue(calls >= 2, "6 MB of payloads in more than one script run, got " + calls);
            List<ClaimedJob> claimed = storage.claim("q", "w", 300, Duration.ofSeconds(30), Duration.ZERO);
            for (int i = 0; i < 300; i++) {
                assertEquals("job-" + i, claimed.get(i).id());
            }
        }
    }

    @Test
    void aClaimOfManyJobsIndexesEveryLeaseWithFewVariadicCommands(@TempDir Path dir) throws Exception {
        try (RedisProcess redis = RedisProcess.start(dir);
             RedisStorage storage = RedisStorage.builder().uri(redis.url()).keyPrefix("b").build();
             Jedis stats = new Jedis("127.0.0.1", redis.port())) {
            List<NewJob> jobs = new ArrayList<>();
            for (int i = 0; i < 1500; i++) {
                jobs.add(TestJobs.job("job-" + i).build());
            }
            storage.enqueueBatch("q", jobs);
            stats.configResetStat();
            List<ClaimedJob> claimed = storage.claim("q", "w", 1500, Duration.ofSeconds(30), Duration.ZERO);

            assertEquals(1500, claimed.size());
            // 1,500 lease entries leave in chunks (index_later in prelude.lua): none may be lost
            assertEquals(1500L, storage.counts("q").get(JobState.PROCESSING));
            assertEquals(1500L, stats.zcard(new KeySpace("b", "q").key("leases")));
            long zadds = calls(stats, "cmdstat_zadd:");
            assertTrue(zadds >= 2 && zadds <= 4, "1,500 leases in a few variadic ZADDs, got " + zadds);
        }
    }

    @Test
    void completeAllBeyondTheMergeLimitAppliesEachCompletionOnceInThreeScriptRuns(@TempDir Path dir) throws Exception {
        try (RedisProcess redis = RedisProcess.start(dir);
             RedisStorage storage = RedisStorage.builder().uri(redis.url()).keyPrefix("b").build();
             Jedis stats = new Jedis("127.0.0.1", redis.port())) {
            List<NewJob> jobs = new ArrayList<>();
            for (int i = 0; i < 601; i++) {
                jobs.add(TestJobs.job("job-" + i).build());
            }
            storage.enqueueBatch("q", jobs);
            List<ClaimedJob> claimed = new ArrayList<>(storage.claim("q", "w", 601, Duration.ofSeconds(30), Duration.ZERO));
            // one complete first, so the server has the script cached (no NOSCRIPT + EVAL below)
            ClaimedJob first = claimed.remove(0);
            storage.complete("q", new LeaseRef(first.id(), first.fencingToken()), ascii("r"), null);
            assertEquals(600, claimed.size());
            List<Completion> completions = new ArrayList<>();
            for (ClaimedJob c : claimed) {
                completions.add(new Completion(new LeaseRef(c.id(), c.fencingToken()), ascii("r-" + c.id()), null));
            }
            stats.configResetStat();
            List<TransitionOutcome> outcomes = storage.completeAll("q", completions);
            long scriptRuns = evalshaCalls(stats) + evalCalls(stats);

            assertEquals(600, outcomes.size());
            assertTrue(outcomes.stream().allMatch(o -> o == TransitionOutcome.APPLIED), outcomes.toString());
            // one pipeline, merged into runs of at most 256 completions: 256 + 256 + 88
            assertEquals(3L, scriptRuns, "600 completions in three script runs");
            assertEquals(601L, storage.counts("q").get(JobState.COMPLETED));
            assertEquals(0L, storage.counts("q").get(JobState.PROCESSING));
            for (int i : new int[] {0, 255, 256, 511, 512, 599}) {
                String id = claimed.get(i).id();
                assertEquals("r-" + id, new String(storage.status("q", id).orElseThrow().result(), StandardCharsets.UTF_8));
            }
            // the same claims again (new calls, new nonces): each is refused, nothing is overwritten
            List<Completion> again = new ArrayList<>();
            for (Completion c : completions) {
                again.add(new Completion(c.lease(), ascii("second"), null));
            }
            assertTrue(storage.completeAll("q", again).stream().allMatch(o -> o == TransitionOutcome.LEASE_LOST));
            assertEquals("r-" + claimed.get(42).id(),
                    new String(storage.status("q", claimed.get(42).id()).orElseThrow().result(), StandardCharsets.UTF_8));
        }
    }

    private static long evalshaCalls(Jedis stats) {
        return calls(stats, "cmdstat_evalsha:");
    }

    private static long evalCalls(Jedis stats) {
        return calls(stats, "cmdstat_eval:");
    }

    private static long calls(Jedis stats, String stat) {
        for (String line : stats.info("commandstats").split("\r?\n")) {
            if (line.startsWith(stat)) {
                String rest = line.substring(line.indexOf("calls=") + 6);
                return Long.parseLong(rest.substring(0, rest.indexOf(',')));
            }
        }
        return 0;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
