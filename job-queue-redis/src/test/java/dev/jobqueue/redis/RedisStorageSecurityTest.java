package dev.jobqueue.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobState;
import dev.jobqueue.contract.TestJobs;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.TransitionOutcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/** Odd ids touch only their own keys, foreign values at our keys, ACL users and wrong passwords. */
class RedisStorageSecurityTest {
    private static final List<String> ODD_IDS = List.of("a:b", "{x}", "*", "ünïcødé-日本-😀", "../x", "line\nbreak",
            "jq:{q}:ready", "x".repeat(10 * 1024));

    private String prefix;
    private UnifiedJedis jedis;

    @BeforeEach
    void setUp() {
        prefix = RedisTestServer.uniquePrefix();
        jedis = RedisClient.create(RedisTestServer.url());
    }

    @AfterEach
    void tearDown() {
        RedisTestServer.deleteKeys(jedis, prefix);
        jedis.close();
    }

    @Test
    void oddIdsAreStoredReadBackExactlyAndTouchOnlyTheirOwnKeys() throws Exception {
        // sentinels named like the ids, outside and inside our prefix, must survive untouched
        Map<String, String> sentinels = new HashMap<>();
        for (String id : ODD_IDS) {
            sentinels.put(prefix + "-sentinel:" + id, "keep " + id.length());
            sentinels.put(prefix + ":{q}:" + id, "mine? no " + id.length());
        }
        sentinels.forEach(jedis::set);
        Set<String> before = new HashSet<>(RedisTestServer.keys(jedis, prefix));

        try (RedisStorage storage = RedisStorage.builder().uri(RedisTestServer.url()).keyPrefix(prefix).build()) {
            for (String id : ODD_IDS) {
                assertTrue(storage.enqueue("q", TestJobs.job(id).payload("p-" + id).build()).created(), id);
            }
            List<ClaimedJob> claimed = storage.claim("q", "w", 100, Duration.ofSeconds(30), Duration.ZERO);
            assertEquals(ODD_IDS, claimed.stream().map(ClaimedJob::id).toList());
            for (ClaimedJob c : claimed) {
                assertEquals("p-" + c.id(), new String(c.payload(), StandardCharsets.UTF_8));
                assertEquals(TransitionOutcome.APPLIED,
                        storage.complete("q", new LeaseRef(c.id(), c.fencingToken()), ("r-" + c.id()).getBytes(StandardCharsets.UTF_8), null));
            }
            for (String id : ODD_IDS) {
                assertEquals("r-" + id, new String(storage.status("q", id).orElseThrow().result(), StandardCharsets.UTF_8));
            }
            assertEquals(Set.copyOf(ODD_IDS), Set.copyOf(storage.list("q", JobState.COMPLETED, 100)));

            Set<String> created = new HashSet<>(RedisTestServer.keys(jedis, prefix));
            created.removeAll(before);
            KeySpace keys = new KeySpace(prefix, "q");
            Set<String> expected = new HashSet<>();
            for (String id : ODD_IDS) {
                expected.add(keys.base() + "j:" + HexFormat.of().formatHex(id.getBytes(StandardCharsets.UTF_8)));
            }
            expected.add(keys.key("seq"));
            expected.add(keys.key("completed"));
            expected.add(keys.key("totals")); // finishedTotals' counters
            expected.add(QueueRegistryScript.registryKey(prefix)); // queueNames' registry
            // the claim's short-lived memo (see claim.lua) is named by a numeric nonce, never by an id
            created.removeIf(k -> k.matches(java.util.regex.Pattern.quote(keys.key("claim:")) + "-?[0-9]+"));
            assertEquals(expected, created, "keys created by the storage");
        }
        sentinels.forEach((k, v) -> assertEquals(v, jedis.get(k), "sentinel " + k.length()));
    }

    /**
     * Issue 9.2: the id encoding (hex of the UTF-8 bytes) is lossless for every well-formed id: a
     * question mark and a long id of unicode, colons, braces and slashes each get their own key and
     * read back as themselves (unpaired surrogates are rejected above the storage).
     */
    @Test
    void wellFormedIdsMapToDistinctKeysAndRoundTrip() {
        String longId = ("ünï:cødé/{日本}/😀\\:" + "x".repeat(7)).repeat(40);
        List<String> ids = List.of("x?", "x", "x??", "?", longId, longId + "?", "{x?}", "x:?/");
        KeySpace keys = new KeySpace(prefix, "q");
        assertEquals(ids.size(), ids.stream().map(keys::jobKey).distinct().count(), "one key per id");
        try (RedisStorage storage = RedisStorage.builder().uri(RedisTestServer.url()).keyPrefix(prefix).build()) {
            for (int i = 0; i < ids.size(); i++) {
                assertTrue(storage.enqueue("q", TestJobs.job(ids.get(i)).priority(i).build()).created(), ids.get(i));
            }
            for (int i = 0; i < ids.size(); i++) {
                String id = ids.get(i);
                assertEquals(id, KeySpace.idOfHex(KeySpace.hexId(id)));
                var snapshot = storage.status("q", id).orElseThrow();
                assertEquals(id, snapshot.id());
                assertEquals(i, snapshot.priority(), "the record of " + id + " is its own");
            }
            assertEquals(Set.copyOf(ids), Set.copyOf(storage.list("q", JobState.QUEUED, 100)));
        }
    }

    @Test
    void aForeignValueAtOneOfOurKeysGivesAnErrorNamingTheKey() {
        KeySpace keys = new KeySpace(prefix, "q");
        jedis.set(keys.key("ready"), "not a sorted set");
        try (RedisStorage storage = RedisStorage.builder().uri(RedisTestServer.url()).keyPrefix(prefix).build()) {
            RedisStorageException e = assertThrows(RedisStorageException.class,
                    () -> storage.enqueue("q", TestJobs.job("a").build()));
            assertTrue(e.getMessage().contains(keys.key("ready")), e.getMessage());
            assertTrue(e.getMessage().contains("keyPrefix"), e.getMessage());
            assertEquals("not a sorted set", jedis.get(keys.key("ready")));
        }
    }

    @Test
    void aForeignValueAtAJobKeyGivesAnErrorNamingTheKey() {
        KeySpace keys = new KeySpace(prefix, "q");
        jedis.rpush(keys.jobKey("job-1"), "a list");
        try (RedisStorage storage = RedisStorage.builder().uri(RedisTestServer.url()).keyPrefix(prefix).build()) {
            RedisStorageException e = assertThrows(RedisStorageException.class, () -> storage.status("q", "job-1"));
            assertTrue(e.getMessage().contains(keys.jobKey("job-1")), e.getMessage());
        }
    }

    @Test
    void aclUserAndPasswordFromTheUriWorkAndAWrongPasswordFailsClearlyAtBuild(@TempDir Path dir) throws Exception {
        try (RedisProcess redis = RedisProcess.start(dir)) {
            try (Jedis admin = new Jedis("127.0.0.1", redis.port())) {
                admin.aclSetUser("jqapp", "on", ">s3cret-pw", "~*", "&*", "+@all");
                admin.aclSetUser("default", "off");
            }
            String good = "redis://jqapp:s3cret-pw@127.0.0.1:" + redis.port();
            try (RedisStorage storage = RedisStorage.builder().uri(good).keyPrefix(prefix).build()) {
                storage.enqueue("q", TestJobs.job("a").build());
                ClaimedJob c = storage.claim("q", "w", 1, Duration.ofSeconds(30), Duration.ZERO).get(0);
                assertEquals(TransitionOutcome.APPLIED, storage.complete("q", new LeaseRef("a", c.fencingToken()), new byte[] {1}, null));
                assertEquals(JobState.COMPLETED, storage.status("q", "a").orElseThrow().state());
            }
            String bad = "redis://jqapp:wrong-pw@127.0.0.1:" + redis.port();
            RedisStorageException e = assertThrows(RedisStorageException.class,
                    () -> RedisStorage.builder().uri(bad).keyPrefix(prefix).build());
            assertTrue(e.getMessage().contains("credentials"), e.getMessage());
            assertFalse(e.getMessage().contains("wrong-pw"), "the password must not be in the message");

            RedisStorageException noUser = assertThrows(RedisStorageException.class,
                    () -> RedisStorage.builder().uri("redis://127.0.0.1:" + redis.port()).keyPrefix(prefix).build());
            assertTrue(noUser.getMessage().contains("credentials"), noUser.getMessage());
        }
    }

    @Test
    void badBuilderInputIsRejectedNamingTheOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RedisStorage.builder().uri("http://x"));
        assertTrue(e.getMessage().contains("uri"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RedisStorage.builder().keyPrefix("a{b"));
        assertTrue(e.getMessage().contains("keyPrefix"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RedisStorage.builder().build());
        assertTrue(e.getMessage().contains("uri"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RedisStorage.builder().hostAndPort("h", 0));
        assertTrue(e.getMessage().contains("port"), e.getMessage());
    }

}
