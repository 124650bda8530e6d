package dev.jobqueue.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class HarnessOptionsTest {
    @Test
    void defaultsAreThePeersParameters() {
        HarnessOptions o = HarnessOptions.parse(new String[0]);
        assertEquals("memory", o.storage());
        assertEquals(50_000, o.n());
        assertEquals(64, o.concurrency());
        assertEquals(256, o.enqueueInflight());
        assertEquals(2_000, o.w3Seq());
        assertEquals(20_000, o.w3Par());
        assertEquals(100, o.w3Inflight());
        assertEquals(200, o.w3Warmup());
        assertEquals(Set.of("w1", "w2", "w3", "executor"), o.workloads());
        assertNull(o.durability());
        assertEquals(0, o.jitWarmup());
    }

    @Test
    void redisRunsCountCommandsAndFileDefaultsToFsyncEach() {
        assertTrue(HarnessOptions.parse(new String[] {"--storage=redis"}).workloads().contains("cmds"));
        HarnessOptions file = HarnessOptions.parse(new String[] {"--storage=file"});
        assertEquals("fsync_each", file.durability());
        assertEquals("file, fsync_each", file.storageLabel());
        assertEquals("fsync_batched",
                HarnessOptions.parse(new String[] {"--storage=file", "--durability=fsync_batched"}).durability());
    }

    @Test
    void peerStyleOptionsAreRead() {
        HarnessOptions o = HarnessOptions.parse(new String[] {"--storage=redis", "--n=5000", "--workloads=w1,w3seq",
                "--redis-url=redis://h:1", "--concurrency=8", "--enqueue-inflight=16", "--w3-seq=10", "--w3-par=20",
                "--w3-inflight=5", "--w3-warmup=1", "--rep=2", "--jit-warmup=100"});
        assertEquals(5000, o.n());
        assertEquals(Set.of("w1", "w3seq"), o.workloads());
        assertEquals("redis://h:1", o.redisUrl());
        assertEquals(8, o.concurrency());
        assertEquals(16, o.enqueueInflight());
        assertEquals(10, o.w3Seq());
        assertEquals(20, o.w3Par());
        assertEquals(5, o.w3Inflight());
        assertEquals(1, o.w3Warmup());
        assertEquals(2, o.rep());
        assertEquals(100, o.jitWarmup());
        assertEquals(7, o.withN(7).n());
    }

    @Test
    void postgresTakesAJdbcUrlOrThePeersUrl() {
        HarnessOptions o = HarnessOptions.parse(new String[] {"--storage=postgres", "--pg-url=jdbc:postgresql://h:5/db?user=u"});
        assertEquals("postgres", o.storage());
        assertEquals(Set.of("w1", "w2", "w3"), o.workloads());
        assertEquals("jdbc:postgresql://h:5/db?user=u", o.pgUrl());
        assertEquals("jdbc:postgresql://127.0.0.1:5432/test?user=postgres", HarnessOptions.pgUrl("postgresql://postgres@127.0.0.1:5432/test"));
        assertEquals("jdbc:postgresql://h/db", HarnessOptions.pgUrl("postgres://h/db"));
        assertMessageContains("--pg-url", "--storage=postgres", "--pg-url=mysql://h/db");
        assertTrue(HarnessOptions.parse(new String[] {"--storage=postgres", "--pg-count-statements"}).pgCountStatements());
        assertMessageContains("--pg-count-statements", "--storage=redis", "--pg-count-statements");
        assertEquals("jdbc:postgresql://h/db?user=u&password=***", PostgresStorages.withoutPassword("jdbc:postgresql://h/db?user=u&password=secret"));
    }

    @Test
    void badInputNamesTheOption() {
        assertMessageContains("--n", "--n=0");
        assertMessageContains("--n", "--n=abc");
        assertMessageContains("--jit-warmup", "--jit-warmup=-1");
        assertMessageContains("--storage", "--storage=mongo");
        assertMessageContains("--bogus", "--bogus=1");
        assertMessageContains("--workloads", "--workloads=w1,w9");
        assertMessageContains("--durability", "--durability=fsync_each");
        assertMessageContains("cmds", "--workloads=cmds");
        assertMessageContains("--key=value", "n=5");
    }

    private static void assertMessageContains(String expected, String... args) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HarnessOptions.parse(args));
        assertTrue(e.getMessage().contains(expected), () -> "'" + e.getMessage() + "' should name " + expected);
    }
}
