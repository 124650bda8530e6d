package dev.jobqueue.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobState;
import dev.jobqueue.contract.TestJobs;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.Subscription;
import dev.jobqueue.spi.TransitionOutcome;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.SslOptions;

/**
 * {@code rediss://} against the test's own TLS redis-server (certificates made with openssl for a
 * private CA): the storage works end to end, notifications included, when given the CA; without
 * it, build fails with a clear TLS error.
 */
class RedisTlsTest {
    private static final char[] PASSWORD = "changeit".toCharArray();

    @Test
    void tlsWithAPrivateCaWorksAndAnUntrustedServerFailsClearly(@TempDir Path dir) throws Exception {
        makeCertificates(dir);
        int tlsPort = RedisProcess.freePort();
        RedisProcess redis = RedisProcess.start(dir.resolve("redis"), "--tls-port", Integer.toString(tlsPort),
                "--tls-cert-file", dir.resolve("server.crt").toString(), "--tls-key-file", dir.resolve("server.key").toString(),
                "--tls-ca-cert-file", dir.resolve("ca.crt").toString(), "--tls-auth-clients", "no");
        try {
            String url = "rediss://127.0.0.1:" + tlsPort;
            SslOptions trustCa = SslOptions.builder().truststore(trustStore(dir).toFile(), PASSWORD).build();
            try (RedisStorage storage = RedisStorage.builder().uri(url).keyPrefix("tls").tls(trustCa).build()) {
                Set<String> notified = ConcurrentHashMap.newKeySet();
                Subscription sub = storage.subscribe("q", (jobId, snapshot) -> notified.add(jobId));
                storage.enqueue("q", TestJobs.job("over-tls").build());
                List<ClaimedJob> claimed = storage.claim("q", "w", 1, Duration.ofSeconds(30), Duration.ofSeconds(10));
                assertEquals(1, claimed.size());
                assertEquals(TransitionOutcome.APPLIED, storage.complete("q",
                        new LeaseRef("over-tls", claimed.get(0).fencingToken()), new byte[] {42}, null));
                assertEquals(JobState.COMPLETED, storage.status("q", "over-tls").orElseThrow().state());
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!notified.contains("over-tls") && System.nanoTime() < deadline) {
                    Thread.sleep(10); // polling for the notification with a generous deadline
                }
                assertTrue(notified.contains("over-tls"), "terminal notification over TLS");
                sub.close();
            }
            RedisStorageException e = assertThrows(RedisStorageException.class,
                    () -> RedisStorage.builder().uri(url).keyPrefix("tls").build());
            assertTrue(e.getMessage().contains("TLS"), e.getMessage());
        } finally {
            redis.close();
        }
    }

    private static void makeCertificates(Path dir) throws Exception {
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
        run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
                "-days", "1", "-subj", "/CN=job-queue test CA");
        run(dir, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
                "-subj", "/CN=127.0.0.1");
        run(dir, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "server.crt", "-days", "1", "-extfile", "san.ext");
    }

    private static Path trustStore(Path dir) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, PASSWORD);
        try (InputStream in = Files.newInputStream(dir.resolve("ca.crt"))) {
            store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        Path file = dir.resolve("trust.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, PASSWORD);
        }
        return file;
    }

    private static void run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
    }
}
