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
    public SerdeException(String message, Throwable cause) {
        super(message, cause);
    }
}
