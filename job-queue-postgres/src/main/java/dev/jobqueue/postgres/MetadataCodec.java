package dev.jobqueue.postgres;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Job metadata in its {@code bytea} column: a count, then each key and value as length-prefixed
 * UTF-8, in the map's iteration order (which the SPI keeps). Empty metadata is stored as NULL.
 */
final class MetadataCodec {
    private MetadataCodec() {
    }

    static byte[] encode(Map<String, String> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeShort(metadata.size());
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                writeString(out, e.getKey());
                writeString(out, e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Map<String, String> decode(byte[] encoded) {
        if (encoded == null || encoded.length == 0) {
            return Map.of();
        }
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(encoded))) {
            int n = in.readUnsignedShort();
            Map<String, String> out = new LinkedHashMap<>(n * 2);
            for (int i = 0; i < n; i++) {
                out.put(readString(in), readString(in));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt job metadata", e);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
