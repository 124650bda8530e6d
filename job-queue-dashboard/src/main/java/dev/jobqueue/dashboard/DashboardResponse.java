package dev.jobqueue.dashboard;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's answer to one {@link DashboardRequest}: status, headers (security headers
 * included) and body, for an adapter to copy into its framework's response.
 *
 * <!-- snippet: dashboard-response -->
 * <pre>{@code
 * DashboardResponse response = dashboard.handle(request);
 * response.headers().forEach((name, values) -> values.forEach(v -> System.out.println(name + ": " + v)));
 * System.out.println(response.status() + ", " + response.body().length + " bytes");
 * }</pre>
 *
 * @param status  the HTTP status code
 * @param headers the response headers, each with one or more values (e.g. several Set-Cookie)
 * @param body    the body (empty for none)
 */
public record DashboardResponse(int status, Map<String, List<String>> headers, byte[] body) {
    /**
     * Copies the headers and body.
     *
     * @param status see {@link #status()}
     * @param headers see {@link #headers()}
     * @param body see {@link #body()}
     * @throws IllegalArgumentException when {@code headers} is {@code null}
     */
    public DashboardResponse {
        if (headers == null) {
            throw new IllegalArgumentException("headers must not be null");
        }
        Map<String, List<String>> copy = new LinkedHashMap<>();
        headers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        headers = java.util.Collections.unmodifiableMap(copy);
        body = body == null ? new byte[0] : body.clone();
    }

    /**
     * The body (a copy).
     *
     * @return the body bytes
     */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /**
     * The first value of a header.
     *
     * @param name the header's name, exactly as set (e.g. {@code Content-Type})
     * @return the first value, or {@code null} when absent
     */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
