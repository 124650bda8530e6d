package dev.jobqueue.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jobqueue.EnqueueOptions;
import dev.jobqueue.MisfirePolicy;
import dev.jobqueue.Schedule;
import dev.jobqueue.Serde;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * The byte form of a {@link Schedule} that storages keep opaque in a
 * {@link dev.jobqueue.spi.ScheduleRecord}: a small JSON object, written field by field in a fixed
 * order (metadata sorted by key), so equal schedules give byte-equal definitions and an unchanged
 * upsert leaves the stored next fire time alone. The payload is the queue's payload serde's bytes,
 * base64-encoded (a serde need not write JSON). Read back as a tree: no type information is read
 * from the bytes (no default typing).
 *
 * <pre>
 * {"v":1,"cron":"0 3 * * *","zone":"Europe/Berlin","misfire":"RUN_ONCE","payload":"eyJ...",
 *  "options":{"delay":"PT5M","priority":5,"maxAttempts":3,"resultTtl":"PT24H","metadata":{"a":"b"}}}
 * </pre>
 */
public final class ScheduleCodec {
    private static final int VERSION = 1;
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper READER = new ObjectMapper();

    private ScheduleCodec() {
    }

    /**
     * Encodes {@code schedule}, its payload with {@code payloadSerde}.
     *
     * @param <P> the payload type
     * @param schedule the schedule
     * @param payloadSerde the queue's payload serde
     * @return the definition bytes (UTF-8 JSON)
     */
    public static <P> byte[] encode(Schedule<? extends P> schedule, Serde<P> payloadSerde) {
        byte[] payload = payloadSerde.serialize(schedule.payload());
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("v", VERSION);
            if (schedule.cron() != null) {
                g.writeStringField("cron", schedule.cron());
                g.writeStringField("zone", schedule.zone().getId());
            } else {
                g.writeNumberField("everyMillis", schedule.interval().toMillis());
            }
            g.writeStringField("misfire", schedule.misfire().name());
            g.writeStringField("payload", Base64.getEncoder().encodeToString(payload));
            EnqueueOptions o = schedule.options();
            g.writeObjectFieldStart("options");
            if (o.delay() != null) {
                g.writeStringField("delay", o.delay().toString());
            }
            g.writeNumberField("priority", o.priority());
            if (o.maxAttempts() != null) {
                g.writeNumberField("maxAttempts", o.maxAttempts());
            }
            if (o.resultTtl() != null) {
                g.writeStringField("resultTtl", o.resultTtl().toString());
            }
            g.writeObjectFieldStart("metadata");
            for (Map.Entry<String, String> e : new TreeMap<>(o.metadata()).entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Decodes a definition written by {@link #encode}.
     *
     * @param <P> the payload type
     * @param id the schedule's id (kept outside the definition)
     * @param definition the bytes
     * @param payloadSerde the queue's payload serde
     * @return the schedule
     * @throws IllegalArgumentException when the bytes are not a definition this version reads, or
     *         the payload does not deserialize
     */
    public static <P> Schedule<P> decode(String id, byte[] definition, Serde<P> payloadSerde) {
        JsonNode root;
        try {
            root = READER.readTree(definition);
        } catch (IOException e) {
            throw new IllegalArgumentException("schedule " + id + ": definition is not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject() || root.path("v").asInt() != VERSION) {
            throw new IllegalArgumentException("schedule " + id + ": definition version "
                    + (root == null ? "missing" : root.path("v")) + " is not " + VERSION);
        }
        Schedule<P> s;
        if (root.hasNonNull("cron")) {
            s = Schedule.<P>cron(id, root.get("cron").asText()).zone(text(root, "zone"));
        } else {
            s = Schedule.every(id, Duration.ofMillis(root.path("everyMillis").asLong()));
        }
        P payload = payloadSerde.deserialize(Base64.getDecoder().decode(text(root, "payload")));
        JsonNode o = root.path("options");
        EnqueueOptions.Builder b = EnqueueOptions.builder().priority(o.path("priority").asInt());
        if (o.hasNonNull("delay")) {
            b.delay(Duration.parse(o.get("delay").asText()));
        }
        if (o.hasNonNull("maxAttempts")) {
            b.maxAttempts(o.get("maxAttempts").asInt());
        }
        if (o.hasNonNull("resultTtl")) {
            b.resultTtl(Duration.parse(o.get("resultTtl").asText()));
        }
        Map<String, String> metadata = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : o.path("metadata").properties()) {
            metadata.put(e.getKey(), e.getValue().asText());
        }
        if (!metadata.isEmpty()) {
            b.metadata(metadata);
        }
        return s.payload(payload).options(b.build()).misfire(MisfirePolicy.valueOf(text(root, "misfire")));
    }

    private static String text(JsonNode root, String field) {
        JsonNode n = root.get(field);
        if (n == null || !n.isTextual()) {
            throw new IllegalArgumentException("definition field " + field + " is missing");
        }
        return n.asText();
    }
}
