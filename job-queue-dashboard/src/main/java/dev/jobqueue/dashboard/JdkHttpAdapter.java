package dev.jobqueue.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard as a handler of the JDK's HTTP server: turns the exchange into a
 * {@link DashboardRequest} (the context's path is the base path) and writes the
 * {@link DashboardResponse} back. Bodies over 64 KiB are refused: no action needs more.
 */
final class JdkHttpAdapter implements HttpHandler {
    static final int MAX_BODY = 64 * 1024;
    private final Dashboard dashboard;

    JdkHttpAdapter(Dashboard dashboard) {
        this.dashboard = dashboard;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            DashboardResponse response;
            byte[] body = readBody(exchange.getRequestBody());
            if (body == null) {
                response = Http.error(413, "request body too large");
            } else {
                String contextPath = exchange.getHttpContext().getPath();
                String base = contextPath.endsWith("/") ? contextPath.substring(0, contextPath.length() - 1) : contextPath;
                String rawPath = exchange.getRequestURI().getRawPath();
                String rest = rawPath.length() > base.length() ? rawPath.substring(base.length()) : "";
                Map<String, String> headers = new HashMap<>();
                exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, String.join(", ", values)));
                if (rest.isEmpty() || !rest.startsWith("/")) {
                    rest = "/" + rest;
                    if (rawPath.equals(base)) {
                        rest = "";
                    }
                }
                response = rest.isEmpty()
                        ? Http.respond(308, Map.of("Location", List.of(base + "/")), new byte[0])
                        : dashboard.handle(new DashboardRequest(exchange.getRequestMethod(), base, rest,
                                exchange.getRequestURI().getRawQuery(), headers, body));
            }
            response.headers().forEach((name, values) -> exchange.getResponseHeaders().put(name, values));
            byte[] out = response.body();
            boolean head = "HEAD".equalsIgnoreCase(exchange.getRequestMethod());
            exchange.sendResponseHeaders(response.status(), out.length == 0 || head ? -1 : out.length);
            if (out.length > 0 && !head) {
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(out);
                }
            }
        }
    }

    /** The body, or {@code null} when it is larger than {@link #MAX_BODY}. */
    private static byte[] readBody(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int n;
        while ((n = in.read(chunk)) >= 0) {
            buffer.write(chunk, 0, n);
            if (buffer.size() > MAX_BODY) {
                return null;
            }
        }
        return buffer.toByteArray();
    }
}
