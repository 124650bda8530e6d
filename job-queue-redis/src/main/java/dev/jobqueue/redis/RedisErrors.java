package dev.jobqueue.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/** What a Redis error means for the caller: credentials, TLS, or a foreign value at one of our keys. */
final class RedisErrors {
    private RedisErrors() {
    }

    /** The exception a caller sees for a server error of {@code call}; a WRONGTYPE names the key. */
    static RuntimeException translate(UnifiedJedis client, ScriptCall call, JedisDataException e) {
        String message = String.valueOf(e.getMessage());
        if (isAuthFailure(e)) {
            return authError(e);
        }
        if (message.contains("WRONGTYPE")) {
            return new RedisStorageException(wrongTypeDiagnosis(client, call), e);
        }
        return new RedisStorageException("Redis script " + call.script.name() + " failed: " + message, e);
    }

    /** Finds the key of the call that holds a value of another type than job-queue writes there. */
    private static String wrongTypeDiagnosis(UnifiedJedis client, ScriptCall call) {
        List<String[]> expected = new ArrayList<>();
        for (int i = 0; i < call.keys.size() && i < KeySpace.FIXED_SUFFIXES.size(); i++) {
            if (KeySpace.FIXED_SUFFIXES.get(i).equals(KeySpace.SLOT_GUARD)) {
                continue; // never written, so never the culprit
            }
            expected.add(new String[] {new String(call.keys.get(i), StandardCharsets.UTF_8),
                    expectedType(KeySpace.FIXED_SUFFIXES.get(i))});
        }
        if (call.ownKey != null) {
            expected.add(new String[] {call.ownKey.get(), call.ownKeyType});
        }
        try {
            for (String[] keyAndType : expected) {
                String actual = client.type(keyAndType[0]);
                if (!"none".equals(actual) && !keyAndType[1].equals(actual)) {
                    return "key '" + keyAndType[0] + "' holds a " + actual + " where job-queue keeps a " + keyAndType[1]
                            + ": another application writes under this key prefix; use a different keyPrefix";
                }
            }
        } catch (JedisException ignored) {
            // the diagnosis is best effort; the generic message below still says what happened
        }
        return "a key of this queue holds a value of the wrong type (WRONGTYPE): another application writes under"
                + " this key prefix; use a different keyPrefix";
    }

    private static String expectedType(String suffix) {
        return switch (suffix) {
            case "seq" -> "string";
            case "wake" -> "list";
            default -> "zset";
        };
    }

    static boolean isAuthFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            // "unauthenticated (multi)bulk length": a big request on a connection that is not logged in
            if (t instanceof JedisAccessControlException || m.contains("WRONGPASS") || m.contains("NOAUTH")
                    || m.contains("NOPERM") || m.contains("Protocol error: unauthenticated")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether retrying cannot help: the server rejects the connection's configuration (credentials,
     * a password for a server without one, a database index it does not have). Such an error
     * fails the call at once instead of being retried as an outage.
     */
    static boolean isConfigurationError(Throwable e) {
        return isAuthFailure(e) || configurationProblem(e) != null;
    }

    /** The exception for an error {@link #isConfigurationError} accepts, naming the cause (never a password). */
    static RedisStorageException configurationError(Throwable e) {
        String problem = configurationProblem(e);
        return problem != null ? new RedisStorageException(problem, e) : authError(e);
    }

    private static String configurationProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("called without any password configured")) {
                return "Redis has no password configured but the URI gives one (" + m
                        + "): remove the password from the URI, or configure one on the server";
            }
            if (m.contains("DB index is out of range") || m.contains("invalid DB index")) {
                return "Redis rejected the database index of the URI (" + m
                        + "): the server has fewer databases (its 'databases' setting); use a smaller index";
            }
        }
        return null;
    }

    static RedisStorageException authError(Throwable e) {
        Throwable root = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            root = t;
            if (t instanceof JedisAccessControlException || String.valueOf(t.getMessage()).contains("WRONGPASS")) {
                break;
            }
        }
        return new RedisStorageException("Redis rejected the connection's credentials or permissions ("
                + root.getMessage() + "): check the user and password in the Redis URI", e);
    }

    static boolean isTlsFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException) {
                return true;
            }
        }
        return false;
    }
}
