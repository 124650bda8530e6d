package dev.jobqueue.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One transition script: the shared prelude followed by the script body, both read from
 * {@code dev/jobqueue/redis/*.lua}, and the SHA1 it is called by (EVALSHA).
 */
final class LuaScript {
    private final String name;
    private final byte[] source;
    private final byte[] sha;

    private LuaScript(String name, String source) {
        this.name = name;
        this.source = source.getBytes(StandardCharsets.UTF_8);
        this.sha = sha1Hex(this.source).getBytes(StandardCharsets.US_ASCII);
    }

    static LuaScript load(String name, String prelude) {
        return new LuaScript(name, prelude + "\n" + resource(name + ".lua"));
    }

    static String resource(String file) {
        try (InputStream in = LuaScript.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("missing script resource dev/jobqueue/redis/" + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String name() {
        return name;
    }

    byte[] source() {
        return source;
    }

    byte[] sha() {
        return sha;
    }

    private static String sha1Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
