package dev.jobqueue;

/**
 * A value could not be serialized or bytes could not be deserialized.
 *
 * <!-- snippet: serde-exception -->
 * <pre>{@code
 * try { serde.deserialize(bytes); } catch (SerdeException e) { log.warn("bad payload", e); }
 * }</pre>
 */
public class SerdeException extends RuntimeException {
    /**
     * @param message what could not be converted
     * @param cause   the serializer's failure
     */
    public SerdeException(String message, Throwable cause) {
        super(message, cause);
    }
}
