package dev.jobqueue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.type.TypeReference;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SerdeTest {
    public record Order(String id, int quantity, List<String> tags) {
    }

    @Test
    void roundTripsRecordsAsJson() {
        Serde<Order> serde = Serde.json(Order.class);
        Order o = new Order("o-1", 3, List.of("gift"));
        byte[] bytes = serde.serialize(o);
        assertEquals("{\"id\":\"o-1\",\"quantity\":3,\"tags\":[\"gift\"]}", new String(bytes, StandardCharsets.UTF_8));
        assertEquals(o, serde.deserialize(bytes));
    }

    @Test
    void roundTripsGenericTypesThroughATypeReference() {
        Serde<List<Order>> serde = Serde.json(new TypeReference<List<Order>>() { });
        List<Order> orders = List.of(new Order("a", 1, List.of()), new Order("b", 2, List.of("x")));
        List<Order> back = serde.deserialize(serde.serialize(orders));
        assertEquals(orders, back);
        assertEquals(Order.class, back.get(0).getClass());
    }

    @Test
    void nullRoundTrips() {
        Serde<String> serde = Serde.json(String.class);
        assertNull(serde.deserialize(serde.serialize(null)));
    }

    @Test
    void badBytesFailWithSerdeException() {
        Serde<Integer> serde = Serde.json(Integer.class);
        assertThrows(SerdeException.class, () -> serde.deserialize("\"not a number\"".getBytes(StandardCharsets.UTF_8)));
        assertThrows(SerdeException.class, () -> serde.deserialize(new byte[] {'{'}));
    }

    @Test
    void polymorphicTypeHintsAreNotHonoured() {
        // With default typing off a class name in the payload is just data, never instantiated.
        Serde<Object> serde = Serde.json(Object.class);
        byte[] gadget = "[\"java.lang.ProcessBuilder\",{\"command\":[\"true\"]}]".getBytes(StandardCharsets.UTF_8);
        Object value = serde.deserialize(gadget);
        assertEquals(List.of("java.lang.ProcessBuilder", Map.of("command", List.of("true"))), value);
    }

    @Test
    void bytesOutAreBytesIn() {
        Serde<byte[]> serde = Serde.json(byte[].class);
        byte[] raw = {1, 2, 3, 127, -128};
        assertArrayEquals(raw, serde.deserialize(serde.serialize(raw)));
    }

    @Test
    void oneSerdePerTypeIsShared() {
        org.junit.jupiter.api.Assertions.assertSame(Serde.json(Order.class), Serde.json(Order.class));
        org.junit.jupiter.api.Assertions.assertSame(Serde.json(new TypeReference<List<Order>>() { }),
                Serde.json(new TypeReference<List<Order>>() { }));
    }

    @Test
    void nullTypeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Serde.json((Class<String>) null));
    }
}
