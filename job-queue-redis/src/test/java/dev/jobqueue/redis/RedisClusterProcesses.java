package dev.jobqueue.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.MigrateParams;

/**
 * A 3-master Redis Cluster on free loopback ports, made of the test's own redis-server processes
 * and {@code redis-cli --cluster create}.
 */
final class RedisClusterProcesses implements AutoCloseable {
    private final List<RedisProcess> nodes = new ArrayList<>();

    RedisClusterProcesses(Path dir) throws IOException, InterruptedException {
        try {
            for (int i = 0; i < 3; i++) {
                nodes.add(RedisProcess.start(dir.resolve("node" + i), "--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "5000", "--appendonly", "no"));
            }
            List<String> cmd = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            for (RedisProcess n : nodes) {
                cmd.add("127.0.0.1:" + n.port());
            }
            cmd.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            Process create = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String output = new String(create.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (create.waitFor() != 0) {
                throw new IllegalStateException("redis-cli --cluster create failed:\n" + output);
            }
            awaitClusterOk();
        } catch (IOException | InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void awaitClusterOk() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (RedisProcess n : nodes) {
            while (true) {
                try (Jedis j = new Jedis("127.0.0.1", n.port())) {
                    if (j.clusterInfo().contains("cluster_state:ok")) {
                        break;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("cluster did not reach cluster_state:ok");
                }
                Thread.sleep(50); // polling the cluster state with a generous deadline
            }
        }
    }

    String[] seeds() {
        return nodes.stream().map(n -> "127.0.0.1:" + n.port()).toArray(String[]::new);
    }

    /** The port of the master serving {@code slot}, from CLUSTER NODES ("... ip:port@cport ... master ... 0-5460"). */
    int portOfSlot(int slot) {
        return portOfSlotAccordingTo(nodes.get(0).port(), slot);
    }

    private static int portOfSlotAccordingTo(int nodePort, int slot) {
        try (Jedis j = new Jedis("127.0.0.1", nodePort)) {
            for (String line : j.clusterNodes().split("\n")) {
                String[] f = line.trim().split(" ");
                for (int i = 8; i < f.length; i++) {
                    if (f[i].startsWith("[")) {
                        continue; // "[slot->-node]": a migration in progress, not ownership
                    }
                    String[] range = f[i].split("-");
                    int from = Integer.parseInt(range[0]);
                    int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
                    if (slot >= from && slot <= to) {
                        String hostPort = f[1].substring(0, f[1].indexOf('@'));
                        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
                    }
                }
            }
        }
        throw new IllegalStateException("no node serves slot " + slot);
    }

    /** A master's port other than {@code port}. */
    int otherMasterThan(int port) {
        return nodes.stream().mapToInt(RedisProcess::port).filter(p -> p != port).findFirst().orElseThrow();
    }

    /**
     * Reshards {@code slot} to the master on {@code toPort} the way {@code redis-cli --cluster
     * reshard} does (IMPORTING/MIGRATING, MIGRATE every key, SETSLOT NODE on every master), and
     * waits until every master routes the slot there.
     */
    void moveSlot(int slot, int toPort) throws InterruptedException {
        moveSlot(slot, toPort, 100, 0, key -> false);
    }

    /**
     * {@link #moveSlot(int, int)} in MIGRATE steps of {@code keysPerStep} keys with a pause after
     * each, so that calls running meanwhile meet a half-moved slot; the keys matching
     * {@code first} (e.g. job records) go before the others (e.g. the queue's indexes).
     */
    void moveSlot(int slot, int toPort, int keysPerStep, long pauseMillis, Predicate<String> first)
            throws InterruptedException {
        try (SlotMove move = beginMove(slot, toPort)) {
            List<byte[]> early = new ArrayList<>();
            for (byte[] key : move.keysLeft(Integer.MAX_VALUE)) {
                if (first.test(new String(key, StandardCharsets.UTF_8))) {
                    early.add(key);
                }
            }
            for (int i = 0; i < early.size(); i += keysPerStep) {
                move.migrate(early.subList(i, Math.min(early.size(), i + keysPerStep)));
                Thread.sleep(pauseMillis); // a slow reshard, so that traffic meets the slot half moved
            }
            List<byte[]> keys;
            while (!(keys = move.keysLeft(keysPerStep)).isEmpty()) {
                move.migrate(keys);
                Thread.sleep(pauseMillis);
            }
            move.finish();
        }
    }

    /** Puts {@code slot} in MIGRATING (here) / IMPORTING (on {@code toPort}); the caller moves keys and finishes. */
    SlotMove beginMove(int slot, int toPort) {
        return new SlotMove(slot, portOfSlot(slot), toPort);
    }

    /** One slot on its way from one master to another. */
    final class SlotMove implements AutoCloseable {
        private final int slot;
        private final int toPort;
        private final Jedis source;
        private final Jedis target;
        private final String targetId;

        private SlotMove(int slot, int fromPort, int toPort) {
            this.slot = slot;
            this.toPort = toPort;
            this.source = new Jedis("127.0.0.1", fromPort);
            this.target = new Jedis("127.0.0.1", toPort);
            this.targetId = target.clusterMyId();
            target.clusterSetSlotImporting(slot, source.clusterMyId());
            source.clusterSetSlotMigrating(slot, targetId);
        }

        /** The source node, for looking at what is still there. */
        Jedis source() {
            return source;
        }

        List<byte[]> keysLeft(int max) {
            return source.clusterGetKeysInSlotBinary(slot, max);
        }

        void migrate(List<byte[]> keys) {
            source.migrate("127.0.0.1", toPort, 0, 5_000, new MigrateParams(), keys.toArray(new byte[0][]));
        }

        /** Migrates what is left, gives the slot to the target on every master and waits until all agree. */
        void finish() throws InterruptedException {
            List<byte[]> keys;
            while (!(keys = keysLeft(100)).isEmpty()) {
                migrate(keys);
            }
            target.clusterSetSlotNode(slot, targetId);
            source.clusterSetSlotNode(slot, targetId);
            for (RedisProcess n : nodes) {
                try (Jedis j = new Jedis("127.0.0.1", n.port())) {
                    j.clusterSetSlotNode(slot, targetId);
                }
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            for (RedisProcess n : nodes) {
                while (portOfSlotAccordingTo(n.port(), slot) != toPort) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("node " + n.port() + " does not route slot " + slot + " to " + toPort);
                    }
                    Thread.sleep(50); // polling the cluster's view with a generous deadline
                }
            }
        }

        @Override
        public void close() {
            source.close();
            target.close();
        }
    }

    @Override
    public void close() {
        nodes.forEach(RedisProcess::close);
    }
}
