package dev.jobqueue.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Building responses (JSON, errors, security headers) and reading query strings. */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    /**
     * Every response carries these: scripts and styles only from the dashboard itself (no inline
     * script can run, so injected markup cannot act), no framing, no content sniffing.
     */
    static final Map<String, String> SECURITY_HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                    + "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
            "X-Frame-Options", "DENY",
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "same-origin",
            "Cross-Origin-Opener-Policy", "same-origin",
            "Cross-Origin-Resource-Policy", "same-origin");

    private Http() {
    }

    static DashboardResponse json(int status, Object body) {
        return json(status, body, Map.of());
    }

    static DashboardResponse json(int status, Object body, Map<String, List<String>> extraHeaders) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the response as JSON", e);
        }
        Map<String, List<String>> headers = new LinkedHashMap<>(extraHeaders);
        headers.put("Content-Type", List.of("application/json; charset=utf-8"));
        headers.put("Cache-Control", List.of("no-store"));
        return respond(status, headers, bytes);
    }

    static DashboardResponse error(int status, String message) {
        return json(status, Map.of("error", message));
    }

    static DashboardResponse respond(int status, Map<String, List<String>> headers, byte[] body) {
        Map<String, List<String>> all = new LinkedHashMap<>(headers);
        SECURITY_HEADERS.forEach((k, v) -> all.put(k, List.of(v)));
        return new DashboardResponse(status, all, body);
    }

    /** The query's parameters (the first value of each), percent-decoded as UTF-8. */
    static Map<String, String> query(String query) {
        Map<String, String> params = new HashMap<>();
        if (query == null || query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.putIfAbsent(key, value);
        }
        return params;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("malformed query string");
        }
    }

    /** A request the API refuses with 400 and this message. */
    static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message, null, false, false);
        }
    }
}
