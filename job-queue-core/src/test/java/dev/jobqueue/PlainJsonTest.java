package dev.jobqueue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The JSON serde's shortcuts for null and plain strings give exactly what Jackson gives. */
class PlainJsonTest {
    private static final ObjectMapper JACKSON = JsonMapper.builder().build();

    private static List<String> strings() {
        List<String> out = new ArrayList<>(List.of("", "x", "order-42", "a b", "\"", "\\", "a\"b", "tab\there",
                "line\n", "del\u007f", "caf\u00e9", "\u20ac", "\ud83d\ude00", "\ud800", "/path", "{\"json\":1}", "null"));
        for (char c = 0; c < 0x200; c++) {
            out.add("<" + c + ">");
        }
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            StringBuilder b = new StringBuilder();
            for (int k = random.nextInt(12); k > 0; k--) {
                b.append((char) (random.nextInt(10) == 0 ? random.nextInt(0x10000) : random.nextInt(0x80)));
            }
            out.add(b.toString());
        }
        return out;
    }

    @Test
    void stringsSerializeToJacksonsBytes() throws Exception {
        Serde<String> serde = Serde.json(String.class);
        for (String s : strings()) {
            byte[] expected;
            try {
                expected = JACKSON.writerFor(String.class).writeValueAsBytes(s);
            } catch (Exception e) {
                assertThrows(RuntimeException.class, () -> serde.serialize(s), "Jackson rejects " + s);
                continue;
            }
            assertArrayEquals(expected, serde.serialize(s), "bytes for " + s);
        }
        assertArrayEquals("null".getBytes(StandardCharsets.UTF_8), serde.serialize(null));
    }

    @Test
    void jsonBytesDeserializeToJacksonsValue() throws Exception {
        Serde<String> serde = Serde.json(String.class);
        List<byte[]> inputs = new ArrayList<>();
        for (String s : strings()) {
            inputs.add(("\"" + s + "\"").getBytes(StandardCharsets.UTF_8));
            inputs.add(s.getBytes(StandardCharsets.UTF_8));
        }
        for (String raw : List.of("null", " null", "null ", "nul", "\"a\" \"b\"", "\"a\\\"b\"", "\"\\u0041\"", "\"", "\"\"", "1")) {
            inputs.add(raw.getBytes(StandardCharsets.UTF_8));
        }
        for (byte[] in : inputs) {
            String label = new String(in, StandardCharsets.UTF_8);
            String expected;
            try {
                expected = JACKSON.readerFor(String.class).readValue(in);
            } catch (Exception e) {
                assertThrows(SerdeException.class, () -> serde.deserialize(in), "Jackson rejects " + label);
                continue;
            }
            assertEquals(expected, serde.deserialize(in), "value of " + label);
        }
    }

    @Test
    void nullReadsAsWhatJacksonMakesOfIt() throws Exception {
        byte[] nullJson = "null".getBytes(StandardCharsets.UTF_8);
        assertNull(Serde.json(Integer.class).deserialize(nullJson));
        assertEquals(0, Serde.json(int.class).deserialize(nullJson));
        assertEquals(JACKSON.readTree(nullJson), Serde.json(com.fasterxml.jackson.databind.JsonNode.class).deserialize(nullJson));
        assertArrayEquals(nullJson, Serde.json(int.class).serialize(null));
    }
}
