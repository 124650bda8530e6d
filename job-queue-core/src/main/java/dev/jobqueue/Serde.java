package dev.jobqueue;

import com.fasterxml.jackson.core.type.TypeReference;

/**
 * Turns payloads and results into bytes and back. The default is JSON via Jackson with
 * polymorphic default typing off, so a payload can never name a class to instantiate.
 *
 * <!-- snippet: serde -->
 * <pre>{@code
 * Serde<List<Order>> serde = Serde.json(new TypeReference<List<Order>>() {});
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
    byte[] serialize(T value);

    T deserialize(byte[] bytes);

    /** JSON for a plain class, on one shared Jackson mapper. */
    static <T> Serde<T> json(Class<T> type) {
        return JacksonSerde.of(type);
    }

    /** JSON for a generic type such as {@code List<Order>}, on one shared Jackson mapper. */
    static <T> Serde<T> json(TypeReference<T> type) {
        return JacksonSerde.of(type);
    }
}
