package dev.jobqueue.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.redis.RedisStorage;
import dev.jobqueue.spi.Storage;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** Every command against a real Redis (REDIS_URL, default redis://127.0.0.1:6379) under a key prefix of its own. */
class RedisCliTest extends CliContract {
    static final String REDIS_URL = System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379");
    static final String PREFIX = "jq-cli-test-" + UUID.randomUUID().toString().substring(0, 8);

    @Override
    Storage openAppStorage() {
        return RedisStorage.builder().uri(REDIS_URL).keyPrefix(PREFIX).build();
    }

    @Override
    List<String> targetArgs() {
        return List.of("--redis", REDIS_URL, "--prefix", PREFIX);
    }

    @AfterAll
    static void deleteOwnKeys() {
        try (Jedis jedis = new Jedis(java.net.URI.create(REDIS_URL))) {
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> page = jedis.scan(cursor, new ScanParams().match(PREFIX + "*").count(500));
                if (!page.getResult().isEmpty()) {
                    jedis.del(page.getResult().toArray(String[]::new));
                }
                cursor = page.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        }
    }

    @Test
    void anotherPrefixIsAnotherStorage() {
        Cli.Result result = Cli.run("list", "failed", "--queue", queue, "--redis", REDIS_URL, "--prefix", PREFIX + "-other");
        assertExit(1, result);
        assertTrue(result.err().contains("no queue named"), result::toString);
    }

    @Test
    void theTargetCanComeFromTheEnvironment() {
        Cli.Result result = Cli.run(Map.of(TargetOptions.REDIS_URL_VARIABLE, REDIS_URL),
                "stats", "--queue", queue, "--prefix", PREFIX, "--json");
        assertExit(0, result);
        assertEquals(2, result.json().get("queues").get(0).get("counts").get("QUEUED").asLong());
    }

    @Test
    void aWrongUriCannotBeOpened() {
        for (String uri : List.of("http://127.0.0.1:6379", "127.0.0.1:6379", "redis://", "redis://host:notaport")) {
            Cli.Result result = Cli.run("stats", "--redis", uri);
            assertExit(3, result);
            assertTrue(result.err().startsWith("jobqueue: cannot open "), result::toString);
        }
    }

    @Test
    void anUnreachableRedisExitsWith3AndNeverPrintsThePassword() {
        Cli.Result result = Cli.run("stats", "--queue", "orders", "--redis", "redis://ops:s3cret-pw@127.0.0.1:1/0",
                "--timeout", "1");
        assertExit(3, result);
        assertFalse(result.err().contains("s3cret-pw") || result.out().contains("s3cret-pw"), result::toString);
        assertTrue(result.err().contains("redis://ops:***@127.0.0.1:1/0"), result::toString);
    }

    @Test
    void aRejectedPasswordExitsWith3WithoutPrintingIt() {
        String withPassword = REDIS_URL.replace("redis://", "redis://nobody:wr%40ng-pw@");
        Cli.Result result = Cli.run("stats", "--redis", withPassword, "--prefix", PREFIX, "--timeout", "1");
        assertExit(3, result);
        assertFalse(result.toString().contains("wr%40ng-pw") || result.toString().contains("wr@ng-pw"), result::toString);
        assertTrue(result.err().contains("nobody:***@"), result::toString);
    }

    @Test
    void aDatabaseTheServerLacksCannotBeOpened() {
        Cli.Result result = Cli.run("stats", "--redis", REDIS_URL.replaceAll("/\\d+$", "") + "/4000", "--prefix", PREFIX);
        assertExit(3, result);
        assertTrue(result.err().startsWith("jobqueue: cannot connect to "), result::toString);
    }

    @Test
    void aPasswordInAMisplacedArgumentIsRedactedToo() {
        Cli.Result result = Cli.run("stats", "redis://ops:s3cret-pw@127.0.0.1:6379");
        assertExit(2, result);
        assertFalse(result.err().contains("s3cret-pw"), result::toString);
    }

    @Test
    void noTargetOrTwoTargetsAreUsageErrors() {
        assertExit(2, Cli.run("stats"));
        assertExit(2, Cli.run("stats", "--redis", REDIS_URL, "--dir", "/tmp"));
        Cli.Result jdbc = Cli.run("stats", "--jdbc", "jdbc:postgresql://db:5432/jobs?user=ops&password=x");
        assertExit(3, jdbc);
        assertTrue(jdbc.err().contains("not supported yet"), jdbc::toString);
    }
}
