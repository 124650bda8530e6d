package dev.jobqueue.dashboard;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP request as the dashboard sees it, independent of any server: what an adapter for a
 * servlet container, Spring or another framework builds from its own request type and hands to
 * {@link Dashboard#handle}.
 *
 * <!-- snippet: dashboard-request -->
 * <pre>{@code
 * DashboardRequest request = DashboardRequest.of("GET", "/jobs", "/api/queues", null,
 *         Map.of("Authorization", "Bearer " + token), new byte[0]);
 * DashboardResponse response = dashboard.handle(request);
 * }</pre>
 *
 * @param method   the HTTP method, upper case ({@code GET}, {@code POST})
 * @param basePath where the dashboard is mounted, without a trailing slash ({@code ""} at the root,
 *                 e.g. {@code "/jobs"}); cookies are scoped to it
 * @param path     the rest of the path after {@code basePath}, starting with {@code /}, still
 *                 percent-encoded (e.g. {@code /api/queues})
 * @param query    the raw query string without {@code ?}, or {@code null}
 * @param headers  the request headers, names in lower case (one value per name; for repeated
 *                 headers the adapter joins the values with {@code ", "})
 * @param body     the request body (empty for GET)
 */
public record DashboardRequest(String method, String basePath, String path, String query, Map<String, String> headers,
                               byte[] body) {
    /**
     * Checks and normalises the parts.
     *
     * @param method see {@link #method()}
     * @param basePath see {@link #basePath()}
     * @param path see {@link #path()}
     * @param query see {@link #query()}
     * @param headers see {@link #headers()}
     * @param body see {@link #body()}
     * @throws IllegalArgumentException naming the argument when {@code method}, {@code basePath},
     *         {@code path} or {@code headers} is {@code null}, or {@code path} does not start with {@code /}
     */
    public DashboardRequest {
        if (method == null) {
            throw new IllegalArgumentException("method must not be null");
        }
        if (basePath == null) {
            throw new IllegalArgumentException("basePath must not be null (\"\" at the root)");
        }
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /, got " + path);
        }
        if (headers == null) {
            throw new IllegalArgumentException("headers must not be null");
        }
        method = method.toUpperCase(Locale.ROOT);
        basePath = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
        TreeMap<String, String> lower = new TreeMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        headers = Map.copyOf(lower);
        body = body == null ? new byte[0] : body.clone();
    }

    /**
     * A request from its parts; header names may be in any case.
     *
     * @param method the HTTP method
     * @param basePath where the dashboard is mounted ({@code ""} at the root)
     * @param path the path after {@code basePath}, starting with {@code /}
     * @param query the raw query string, or {@code null}
     * @param headers the request headers
     * @param body the body, or {@code null} for none
     * @return the request
     */
    public static DashboardRequest of(String method, String basePath, String path, String query,
                                      Map<String, String> headers, byte[] body) {
        return new DashboardRequest(method, basePath, path, query, headers, body);
    }

    /**
     * A header's value.
     *
     * @param name the header's name, in any case
     * @return its value, or {@code null} when absent
     */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
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
}
