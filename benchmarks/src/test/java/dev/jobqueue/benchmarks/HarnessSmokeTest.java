package dev.jobqueue.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A tiny in-memory run: the result line has the peers' keys and every job completed. */
class HarnessSmokeTest {
    @Test
    void memoryRunPrintsThePeersKeys() throws Exception {
        HarnessOptions options = HarnessOptions.parse(new String[] {"--storage=memory", "--n=300", "--concurrency=4",
                "--enqueue-inflight=8", "--w3-seq=20", "--w3-par=40", "--w3-inflight=5", "--w3-warmup=5", "--rep=1"});
        Map<String, Object> result = Harness.run(options);
        JsonNode line = JsonMapper.builder().build().readTree(Json.line(result));

        assertFalse(line.has("error"), () -> line.path("error").asText());
        assertEquals("job-queue", line.path("lib").asText());
        assertEquals("memory", line.path("storage").asText());
        assertEquals(300, line.path("config").path("n").asInt());
        JsonNode w1 = line.path("w1");
        assertEquals(300, w1.path("completed").asInt());
        assertTrue(w1.path("enqueue_jobs_per_s").asLong() > 0);
        assertTrue(w1.path("e2e_jobs_per_s").asLong() > 0);
        assertTrue(w1.has("completed_when_enqueue_done"));
        assertTrue(w1.path("node_cpu_ms").isNumber());
        assertEquals(w1.path("node_cpu_ms"), w1.path("jvm_cpu_ms"));
        assertTrue(w1.path("redis_cpu_ms").isNull());
        assertEquals(300, line.path("w2").path("completed").asInt());
        assertTrue(line.path("w2").path("prefill_jobs_per_s").asLong() > 0);
        assertTrue(line.path("w2").path("drain_jobs_per_s").asLong() > 0);
        assertEquals(20, line.path("w3").path("seq").path("calls").asInt());
        assertNotNull(line.path("w3").path("seq").get("p50_ms"));
        assertEquals(40, line.path("w3").path("par").path("calls").asInt());
        assertEquals(300, line.path("w1_executor").path("completed").asInt());
        assertTrue(Json.line(result).getBytes(StandardCharsets.UTF_8).length > 0);
    }

    @Test
    void payloadIsOneHundredBytesOfJson() throws Exception {
        for (int i : new int[] {0, 7, 12_345, 49_999}) {
            byte[] json = JsonMapper.builder().build().writeValueAsBytes(BenchPayload.of(i));
            assertEquals(100, json.length, () -> new String(json, StandardCharsets.UTF_8));
        }
    }

    @Test
    void percentilesFollowThePeersRule() {
        double[] ms = {5, 1, 4, 2, 3};
        Map<String, Object> s = LatencyStats.of(ms, 1000);
        assertEquals(3.0, s.get("p50_ms"));
        assertEquals(5.0, s.get("p99_ms"));
        assertEquals(5L, s.get("req_per_s"));
    }
}
