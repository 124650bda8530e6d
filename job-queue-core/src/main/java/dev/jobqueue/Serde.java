package dev.jobqueue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Turns payloads and results into bytes and back. The default is JSON via Jackson with
 * polymorphic default typing off, so a payload can never name a class to instantiate. The
 * default mapper registers the Jackson modules found on the class path (add
 * {@code jackson-datatype-jsr310} for {@code java.time} values); pass your own mapper for
 * anything else.
 *
 * <!-- snippet: serde -->
 * <pre>{@code
 * Serde<List<Order>> serde = Serde.json(new TypeReference<List<Order>>() {});
 * Serde<Order> custom = Serde.json(Order.class, myObjectMapper);
 * Serde<byte[]> raw = new Serde<>() {
 *     public byte[] serialize(byte[] v) { return v; }
 *     public byte[] deserialize(byte[] b) { return b; }
 * };
 * }</pre>
 *
 * <p>Implementations must be thread-safe. They signal bad input by throwing any runtime
 * exception, e.g. {@link SerdeException}.
 */
public interface Serde<T> {
    /**
     * Encodes a payload or result for the storage.
     *
     * @param value the value to encode; a result may be {@code null}
     * @return the bytes the storage keeps
     */
    byte[] serialize(T value);

    /**
     * Decodes bytes written by {@link #serialize}.
     *
     * @param bytes the stored bytes
     * @return the decoded value
     */
    T deserialize(byte[] bytes);

    /**
     * JSON for a plain class, on one shared Jackson mapper with the class path's modules.
     *
     * @param <T> the value type
     * @param type the class values are read as
     * @return a thread-safe JSON serde
     */
    static <T> Serde<T> json(Class<T> type) {
        return JacksonSerde.of(type);
    }

    /**
     * JSON for a generic type such as {@code List<Order>}, on the shared mapper.
     *
     * @param <T> the value type
     * @param type the full generic type values are read as
     * @return a thread-safe JSON serde
     */
    static <T> Serde<T> json(TypeReference<T> type) {
        return JacksonSerde.of(type);
    }

    /**
     * JSON for a plain class on {@code mapper}, used as given (keep default typing off on it).
     * The serde reads the mapper's configuration once: configure the mapper before.
      *
      * @param <T> the value type
      * @param type the class values are read as
      * @param mapper the application's Jackson mapper
      * @return a thread-safe JSON serde
     */
    static <T> Serde<T> json(Class<T> type, ObjectMapper mapper) {
        return JacksonSerde.of(type, mapper);
    }

    /**
     * JSON for a generic type on {@code mapper}; see {@link #json(Class, ObjectMapper)}.
     *
     * @param <T> the value type
     * @param type the full generic type values are read as
     * @param mapper the application's Jackson mapper
     * @return a thread-safe JSON serde
     */
    static <T> Serde<T> json(TypeReference<T> type, ObjectMapper mapper) {
        return JacksonSerde.of(type, mapper);
    }
}
