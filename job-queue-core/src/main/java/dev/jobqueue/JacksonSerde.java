package dev.jobqueue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.Arrays;
import java.util.ServiceConfigurationError;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.LoggerFactory;

/**
 * The JSON {@link Serde}: a reader and a writer built once per type, because building them per
 * call dominates the cost of small payloads. The default mapper is shared, has the Jackson
 * modules found on the class path (e.g. jackson-datatype-jsr310 for {@code java.time}) and never
 * enables default typing; a user's mapper is used as given.
 * {@code null} and plain ASCII strings skip Jackson's per-call generator and parser
 * ({@link PlainJson}) where that gives the same bytes and values as Jackson.
 */
final class JacksonSerde<T> implements Serde<T> {
    private static final ObjectMapper DEFAULT_MAPPER = defaultMapper();
    /**
     * True when the default mapper writes and reads plain ASCII strings as {@link PlainJson} does.
     * A module found on the class path could change how strings are handled, so it is checked
     * once instead of assumed; a user's mapper is never given the shortcut (features such as
     * escaping '/' would make it wrong).
     */
    private static final boolean DEFAULT_MAPPER_HAS_PLAIN_STRINGS = plainStrings(DEFAULT_MAPPER);
    /** One serde (reader and writer) per type on the default mapper, shared by every queue that uses the type. */
    private static final ConcurrentMap<JavaType, JacksonSerde<?>> BY_TYPE = new ConcurrentHashMap<>();

    private final JavaType type;
    private final ObjectReader reader;
    private final ObjectWriter writer;
    /** What the writer makes of {@code null}, computed once. */
    private final byte[] nullJson;
    /** True when the reader turns {@code null} into null (not e.g. 0 for a primitive), asked once. */
    private final boolean nullReadsAsNull;
    private final boolean plainStringShortcut;

    private JacksonSerde(ObjectMapper mapper, JavaType type, boolean plainStrings) {
        this.type = type;
        this.reader = mapper.readerFor(type);
        this.writer = mapper.writerFor(type);
        this.nullJson = writeWithJackson(null);
        this.nullReadsAsNull = readsAsNull(reader);
        this.plainStringShortcut = plainStrings && type.getRawClass() == String.class;
    }

    private static ObjectMapper defaultMapper() {
        try {
            return JsonMapper.builder().findAndAddModules().build();
        } catch (RuntimeException | ServiceConfigurationError | LinkageError e) {
            // A broken module jar on the class path must not take the whole library down.
            LoggerFactory.getLogger(JacksonSerde.class).warn(
                    "could not register the Jackson modules found on the class path; using a plain mapper", e);
            return JsonMapper.builder().build();
        }
    }

    private static boolean plainStrings(ObjectMapper mapper) {
        StringBuilder probe = new StringBuilder(" ");
        for (char c = 0x20; c < 0x7F; c++) {
            if (c != '"' && c != '\\') {
                probe.append(c);
            }
        }
        String value = probe.append(' ').toString();
        try {
            byte[] jackson = mapper.writerFor(String.class).writeValueAsBytes(value);
            Object back = mapper.readerFor(String.class).readValue(jackson);
            return Arrays.equals(jackson, PlainJson.quoteAscii(value)) && value.equals(back);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean readsAsNull(ObjectReader reader) {
        try {
            return reader.readValue(new byte[] {'n', 'u', 'l', 'l'}) == null;
        } catch (IOException | RuntimeException e) {
            return false; // the type rejects null: every read goes to Jackson, which reports it
        }
    }

    static <T> JacksonSerde<T> of(Class<T> type) {
        return forType(DEFAULT_MAPPER.constructType(Arguments.notNull(type, "type")));
    }

    static <T> JacksonSerde<T> of(TypeReference<T> type) {
        return forType(DEFAULT_MAPPER.constructType(Arguments.notNull(type, "type")));
    }

    static <T> JacksonSerde<T> of(Class<T> type, ObjectMapper mapper) {
        Arguments.notNull(type, "type");
        Arguments.notNull(mapper, "mapper");
        return new JacksonSerde<>(mapper, mapper.constructType(type), false);
    }

    static <T> JacksonSerde<T> of(TypeReference<T> type, ObjectMapper mapper) {
        Arguments.notNull(type, "type");
        Arguments.notNull(mapper, "mapper");
        return new JacksonSerde<>(mapper, mapper.constructType(type), false);
    }

    @SuppressWarnings("unchecked") // the map's key is the value's type
    private static <T> JacksonSerde<T> forType(JavaType type) {
        return (JacksonSerde<T>) BY_TYPE.computeIfAbsent(type,
                t -> new JacksonSerde<>(DEFAULT_MAPPER, t, DEFAULT_MAPPER_HAS_PLAIN_STRINGS));
    }

    @Override
    public byte[] serialize(T value) {
        if (value == null) {
            return nullJson.clone();
        }
        if (plainStringShortcut) {
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
    @SuppressWarnings("unchecked") // plainStringShortcut: T is String
    public T deserialize(byte[] bytes) {
        if (nullReadsAsNull && PlainJson.isNull(bytes)) {
            return null;
        }
        if (plainStringShortcut) {
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
