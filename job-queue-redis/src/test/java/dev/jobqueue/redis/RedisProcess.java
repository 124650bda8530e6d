package dev.jobqueue.redis;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Jedis;

/**
 * A redis-server the test starts itself on a free loopback port (for ACL users, restarts and
 * clusters, which must not touch the shared server). {@link #kill} is SIGKILL.
 *
 * <pre>{@code
 * try (RedisProcess redis = RedisProcess.start(tempDir, "--appendonly", "yes")) {
 *     String url = redis.url();
 * }
 * }</pre>
 */
final class RedisProcess implements AutoCloseable {
    private final int port;
    private final Path dir;
    private final List<String> extraArgs;
    private Process process;

    private RedisProcess(int port, Path dir, List<String> extraArgs) {
        this.port = port;
        this.dir = dir;
        this.extraArgs = extraArgs;
    }

    static RedisProcess start(Path dir, String... extraArgs) {
        RedisProcess p = new RedisProcess(freePort(), dir, List.of(extraArgs));
        p.startProcess();
        return p;
    }

    int port() {
        return port;
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** SIGKILL: no shutdown save, like a crash. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void restart() {
        startProcess();
    }

    private void startProcess() {
        try {
            Files.createDirectories(dir);
            List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port),
                    "--bind", "127.0.0.1", "--dir", dir.toString(), "--save", "", "--daemonize", "no"));
            cmd.addAll(extraArgs);
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(dir.toFile(), "redis.log"))).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start redis-server (is it installed?)", e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try (Jedis j = new Jedis("127.0.0.1", port)) {
                if ("PONG".equals(j.ping())) {
                    return;
                }
            } catch (RuntimeException e) {
                if (e.getMessage() != null && (e.getMessage().contains("NOAUTH") || e.getMessage().contains("LOADING"))) {
                    if (e.getMessage().contains("NOAUTH")) {
                        return;
                    }
                }
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited; see " + dir.resolve("redis.log"));
            }
            try {
                Thread.sleep(20); // polling a freshly started server until it answers
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("redis-server on port " + port + " did not answer within 30 s");
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            kill();
        }
    }
}
