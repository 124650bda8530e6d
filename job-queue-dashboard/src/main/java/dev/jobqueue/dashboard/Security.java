package dev.jobqueue.dashboard;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who a request is, and whether it may act: credentials (a bearer token, a login session made from
 * that token, or HTTP basic auth), compared in constant time; the CSRF token of each principal
 * (an HMAC of the principal under a secret made at start, so it cannot be guessed or read by
 * another origin); and the Origin check of every POST. Nothing here logs or returns a secret.
 */
final class Security {
    static final String SESSION_COOKIE = "jq_dashboard_session";
    static final String CSRF_HEADER = "x-csrf-token";
    private static final Duration SESSION_IDLE = Duration.ofHours(12);
    private static final int MAX_SESSIONS = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    enum Mode { TOKEN, BASIC, NONE }

    /**
     * An authenticated caller. {@code key} identifies it for the CSRF token; {@code ambient} is
     * true when a browser sends the credential by itself (cookie, basic auth, no auth), which is
     * what CSRF attacks abuse; {@code label} is what logs may show.
     */
    record Principal(String key, boolean ambient, String label) {
    }

    private final Mode mode;
    private final byte[] tokenDigest;
    private final byte[] userDigest;
    private final byte[] passwordDigest;
    private final Set<String> allowedOrigins;
    private final byte[] secret = new byte[32];
    private final Map<String, Long> sessions = new ConcurrentHashMap<>();
    private final Clock clock;

    Security(Mode mode, String token, String user, String password, Set<String> allowedOrigins, Clock clock) {
        this.mode = mode;
        this.tokenDigest = token == null ? null : sha256(token);
        this.userDigest = user == null ? null : sha256(user);
        this.passwordDigest = password == null ? null : sha256(password);
        this.allowedOrigins = Set.copyOf(allowedOrigins);
        this.clock = clock;
        RANDOM.nextBytes(secret);
    }

    Mode mode() {
        return mode;
    }

    /** The caller, or {@code null} when the request carries no valid credential. */
    Principal authenticate(DashboardRequest request) {
        if (mode == Mode.NONE) {
            return new Principal("anonymous", true, "anonymous");
        }
        String authorization = request.header("authorization");
        if (authorization != null) {
            if (mode == Mode.TOKEN && startsWithIgnoreCase(authorization, "Bearer ")) {
                String token = authorization.substring(7).trim();
                return constantTimeEquals(tokenDigest, token) ? new Principal("bearer", false, "bearer token") : null;
            }
            if (mode == Mode.BASIC && startsWithIgnoreCase(authorization, "Basic ")) {
                return basic(authorization.substring(6).trim());
            }
            return null;
        }
        if (mode == Mode.TOKEN) {
            String session = cookie(request, SESSION_COOKIE);
            if (session != null && touch(session)) {
                return new Principal("session:" + session, true, "session");
            }
        }
        return null;
    }

    private Principal basic(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String user = decoded.substring(0, colon);
        // both compared, always: the time taken does not tell which one was wrong
        boolean userOk = constantTimeEquals(userDigest, user);
        boolean passwordOk = constantTimeEquals(passwordDigest, decoded.substring(colon + 1));
        return userOk & passwordOk ? new Principal("basic:" + user, true, "basic user " + user) : null;
    }

    /** Whether {@code token} is the configured token (token mode only), in constant time. */
    boolean tokenMatches(String token) {
        return mode == Mode.TOKEN && token != null && constantTimeEquals(tokenDigest, token);
    }

    /** A new login session; its id goes into an HttpOnly, SameSite=Strict cookie. */
    String newSession() {
        if (sessions.size() >= MAX_SESSIONS) {
            dropExpiredSessions();
        }
        if (sessions.size() >= MAX_SESSIONS) {
            Iterator<String> oldest = sessions.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        byte[] id = new byte[32];
        RANDOM.nextBytes(id);
        String session = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        sessions.put(session, clock.millis() + SESSION_IDLE.toMillis());
        return session;
    }

    void endSession(DashboardRequest request) {
        String session = cookie(request, SESSION_COOKIE);
        if (session != null) {
            sessions.remove(session);
        }
    }

    private boolean touch(String session) {
        long now = clock.millis();
        Long expiry = sessions.get(session);
        if (expiry == null || expiry <= now) {
            sessions.remove(session);
            return false;
        }
        sessions.put(session, now + SESSION_IDLE.toMillis());
        return true;
    }

    private void dropExpiredSessions() {
        long now = clock.millis();
        sessions.values().removeIf(expiry -> expiry <= now);
    }

    /** The CSRF token of {@code principal}: HMAC-SHA256 under this dashboard's secret, base64url. */
    String csrfToken(Principal principal) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] tag = mac.doFinal(principal.key().getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    /** Whether the request carries {@code principal}'s CSRF token in the X-CSRF-Token header. */
    boolean csrfMatches(DashboardRequest request, Principal principal) {
        String sent = request.header(CSRF_HEADER);
        return sent != null && MessageDigest.isEqual(
                csrfToken(principal).getBytes(StandardCharsets.UTF_8), sent.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Whether a state-changing request comes from the dashboard's own page: its Origin (or, when a
     * browser sent none, its Referer's origin) must be an allowed origin, by default the origin
     * the request was sent to (http or https and the Host header). A request without either
     * passes only with a bearer token, which browsers never send by themselves.
     */
    boolean originAllowed(DashboardRequest request, Principal principal) {
        String origin = request.header("origin");
        if (origin == null) {
            origin = originOf(request.header("referer"));
        }
        if (origin == null) {
            return principal != null && !principal.ambient();
        }
        if (!allowedOrigins.isEmpty()) {
            return allowedOrigins.contains(origin);
        }
        String host = request.header("host");
        return host != null && (origin.equals("http://" + host) || origin.equals("https://" + host));
    }

    private static String originOf(String referer) {
        if (referer == null) {
            return null;
        }
        try {
            URI uri = URI.create(referer);
            if (uri.getScheme() == null || uri.getRawAuthority() == null) {
                return null;
            }
            return uri.getScheme() + "://" + uri.getRawAuthority();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String cookie(DashboardRequest request, String name) {
        String header = request.header("cookie");
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            String p = part.trim();
            if (p.startsWith(name + "=")) {
                return p.substring(name.length() + 1);
            }
        }
        return null;
    }

    /** The session cookie; {@code Secure} when the page was loaded over https (its Origin says so). */
    static List<String> sessionCookie(DashboardRequest request, String session) {
        String path = request.basePath().isEmpty() ? "/" : request.basePath();
        String origin = request.header("origin");
        String secure = origin != null && origin.startsWith("https://") ? "; Secure" : "";
        return List.of(SESSION_COOKIE + "=" + session + "; Path=" + path + "; HttpOnly; SameSite=Strict" + secure);
    }

    static List<String> expiredSessionCookie(String basePath) {
        String path = basePath.isEmpty() ? "/" : basePath;
        return List.of(SESSION_COOKIE + "=; Path=" + path + "; Max-Age=0; HttpOnly; SameSite=Strict");
    }

    /** Digests first, so the comparison takes the same time whatever the lengths. */
    private static boolean constantTimeEquals(byte[] expectedDigest, String given) {
        return expectedDigest != null && MessageDigest.isEqual(expectedDigest, sha256(given));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static boolean startsWithIgnoreCase(String s, String prefix) {
        return s.regionMatches(true, 0, prefix, 0, prefix.length());
    }
}
