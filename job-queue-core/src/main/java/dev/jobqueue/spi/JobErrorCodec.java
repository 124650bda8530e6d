package dev.jobqueue.spi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jobqueue.JobError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * The one encoding of {@link JobError} that persistent storages write: a small JSON object
 * {@code {"type","message","stackTrace","code","attempts","failedAt"}} with {@code failedAt} in
 * epoch milliseconds. Shared so that every storage writes, and every reader decodes, the same bytes.
 *
 * <!-- snippet: job-error-codec -->
 * <pre>{@code
 * byte[] stored = JobErrorCodec.encode(error);     // when a job fails
 * JobError read = JobErrorCodec.decode(stored);    // when status() reads it back
 * }</pre>
 */
public final class JobErrorCodec {
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private JobErrorCodec() {
    }

    /**
     * @param error the error to store
     * @return its JSON bytes
     */
    public static byte[] encode(JobError error) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("type", error.type());
        node.put("message", error.message());
        node.put("stackTrace", error.stackTrace());
        node.put("code", error.code());
        node.put("attempts", error.attempts());
        node.put("failedAt", error.failedAt().toEpochMilli());
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode JobError", e);
        }
    }

    /**
     * @param bytes what {@link #encode} wrote (missing fields read as null, 0 or "unknown")
     * @return the error
     */
    public static JobError decode(byte[] bytes) {
        try {
            var node = MAPPER.readTree(bytes);
            return new JobError(
                    node.path("type").asText("unknown"),
                    textOrNull(node.get("message")),
                    textOrNull(node.get("stackTrace")),
                    textOrNull(node.get("code")),
                    node.path("attempts").asInt(0),
                    Instant.ofEpochMilli(node.path("failedAt").asLong(0)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode JobError", e);
        }
    }

    private static String textOrNull(com.fasterxml.jackson.databind.JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }
}
