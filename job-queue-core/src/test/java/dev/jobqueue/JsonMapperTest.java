package dev.jobqueue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.jobqueue.memory.MemoryStorage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** java.time through the default mapper (modules on the class path) and a user's own ObjectMapper. */
class JsonMapperTest {
    public record Booking(String id, Instant at, LocalDate day, Duration length) {
    }

    public record OrderLine(String orderId, int quantity) {
    }

    private static final Booking BOOKING = new Booking("b-1", Instant.parse("2026-03-01T10:15:30.123Z"),
            LocalDate.parse("2026-03-01"), Duration.ofMinutes(90));

    @Test
    void theDefaultSerdeRoundTripsJavaTimeTypes() {
        Serde<Booking> serde = Serde.json(Booking.class);
        assertEquals(BOOKING, serde.deserialize(serde.serialize(BOOKING)));
        Serde<List<Instant>> list = Serde.json(new TypeReference<List<Instant>>() { });
        assertEquals(List.of(BOOKING.at()), list.deserialize(list.serialize(List.of(BOOKING.at()))));
    }

    @Test
    void aUsersMapperIsUsedAsGiven() {
        ObjectMapper snake = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
        Serde<OrderLine> serde = Serde.json(OrderLine.class, snake);
        byte[] json = serde.serialize(new OrderLine("o-1", 2));
        assertEquals("{\"order_id\":\"o-1\",\"quantity\":2}", new String(json, StandardCharsets.UTF_8));
        assertEquals(new OrderLine("o-1", 2), serde.deserialize(json));
        Serde<List<OrderLine>> generic = Serde.json(new TypeReference<List<OrderLine>>() { }, snake);
        assertEquals(List.of(new OrderLine("o-1", 2)), generic.deserialize(generic.serialize(List.of(new OrderLine("o-1", 2)))));
    }

    @Test
    void plainStringsOnAUsersMapperAreWhatTheMapperWrites() throws Exception {
        // With '/' escaped, the plain-ASCII shortcut would write a different JSON than the mapper does.
        ObjectMapper escaping = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_FORWARD_SLASHES).build();
        Serde<String> serde = Serde.json(String.class, escaping);
        assertArrayEquals(escaping.writeValueAsBytes("a/b"), serde.serialize("a/b"));
        assertEquals("a/b", serde.deserialize(serde.serialize("a/b")));
        assertEquals("a/b", serde.deserialize("\"a\\/b\"".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aQueueUsesTheBuildersObjectMapperForPayloadsAndResults() throws Exception {
        ObjectMapper snake = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
        try (MemoryStorage storage = new MemoryStorage();
             Queue<OrderLine, OrderLine> q = Queue.builder(storage, OrderLine.class, OrderLine.class).name("lines")
                     .objectMapper(snake)
                     .handler(job -> new OrderLine(job.payload().orderId(), job.payload().quantity() * 2))
                     .build()) {
            q.start();
            assertEquals(new OrderLine("o-1", 4), q.enqueueAndWait("a", new OrderLine("o-1", 2), Duration.ofSeconds(30)));
            byte[] stored = storage.status("lines", "a").orElseThrow().result();
            assertEquals("{\"order_id\":\"o-1\",\"quantity\":4}", new String(stored, StandardCharsets.UTF_8));
        }
    }

    @Test
    void anExplicitSerdeWinsOverTheObjectMapper() throws Exception {
        ObjectMapper snake = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
        try (MemoryStorage storage = new MemoryStorage();
             Queue<OrderLine, OrderLine> q = Queue.builder(storage, OrderLine.class, OrderLine.class).name("lines")
                     .resultSerde(Serde.json(OrderLine.class))
                     .objectMapper(snake)
                     .handler(job -> job.payload())
                     .build()) {
            q.start();
            q.enqueueAndWait("a", new OrderLine("o-1", 2), Duration.ofSeconds(30));
            byte[] stored = storage.status("lines", "a").orElseThrow().result();
            assertEquals("{\"orderId\":\"o-1\",\"quantity\":2}", new String(stored, StandardCharsets.UTF_8));
        }
    }
}
