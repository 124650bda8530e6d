package dev.jobqueue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The JSON {@link Serde}: one shared mapper (default typing never enabled), and a reader and a
 * writer built once per type, because building them per call dominates the cost of small payloads.
 * {@code null} and plain ASCII strings skip Jackson's per-call generator and parser
 * ({@link PlainJson}); the bytes and values are the same as Jackson's.
 */
final class JacksonSerde<T> implements Serde<T> {
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();
    /** One serde (reader and writer) per type, shared by every queue that uses the type. */
    private static final ConcurrentMap<JavaType, JacksonSerde<?>> BY_TYPE = new ConcurrentHashMap<>();

    private final JavaType type;
    private final ObjectReader reader;
    private final ObjectWriter writer;
    /** What the writer makes of {@code null}, computed once. */
    private final byte[] nullJson;
    /** True when the reader turns {@code null} into null (not e.g. 0 for a primitive), asked once. */
    private final boolean nullReadsAsNull;
    private final boolean isString;

    private JacksonSerde(JavaType type) {
        this.type = type;
        this.reader = MAPPER.readerFor(type);
        this.writer = MAPPER.writerFor(type);
        this.nullJson = writeWithJackson(null);
        this.nullReadsAsNull = readsAsNull(reader);
        this.isString = type.getRawClass() == String.class;
    }

    private static boolean readsAsNull(ObjectReader reader) {
        try {
            return reader.readValue(new byte[] {'n', 'u', 'l', 'l'}) == null;
        } catch (IOException | RuntimeException e) {
            return false; // the type rejects null: every read goes to Jackson, which reports it
        }
    }

    static <T> JacksonSerde<T> of(Class<T> type) {
        if (type == null) {
            throw new IllegalArgumentException("type must not be null");
        }
        return forType(MAPPER.constructType(type));
    }

    static <T> JacksonSerde<T> of(TypeReference<T> type) {
        if (type == null) {
            throw new IllegalArgumentException("type must not be null");
        }
        return forType(MAPPER.constructType(type));
    }

    @SuppressWarnings("unchecked") // the map's key is the value's type
    private static <T> JacksonSerde<T> forType(JavaType type) {
        return (JacksonSerde<T>) BY_TYPE.computeIfAbsent(type, JacksonSerde::new);
    }

    @Override
    public byte[] serialize(T value) {
        if (value == null) {
            return nullJson.clone();
        }
        if (isString) {
            byte[] plain = PlainJson.quoteAscii((String) value);
            if (plain != null) {
                return plain;
            }
        }
        return writeWithJackson(value);
    }

    private byte[] writeWithJackson(T value) {
        try {
            return writer.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new SerdeException("cannot serialize a value as JSON " + type, e);
        }
    }

    @Override
    @SuppressWarnings("unchecked") // isString: T is String
    public T deserialize(byte[] bytes) {
        if (nullReadsAsNull && PlainJson.isNull(bytes)) {
            return null;
        }
        if (isString) {
            String plain = PlainJson.unquoteAscii(bytes);
            if (plain != null) {
                return (T) plain;
            }
        }
        try {
            return reader.readValue(bytes);
        } catch (IOException e) {
            throw new SerdeException("cannot deserialize JSON as " + type, e);
        }
    }

    @Override
    public String toString() {
        return "JacksonSerde[" + type + "]";
    }
}
