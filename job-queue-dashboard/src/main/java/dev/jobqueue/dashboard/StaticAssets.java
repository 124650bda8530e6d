package dev.jobqueue.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The page's files, read once from the jar ({@code dev/jobqueue/dashboard/assets}): vanilla HTML,
 * JS and CSS, no CDN and no build step, so the dashboard works without internet.
 */
final class StaticAssets {
    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8",
            "favicon.svg", "image/svg+xml");
    private final Map<String, byte[]> files;

    StaticAssets() {
        this.files = Map.of(
                "index.html", read("index.html"),
                "app.js", read("app.js"),
                "app.css", read("app.css"),
                "favicon.svg", read("favicon.svg"));
    }

    /** The file's response, or {@code null} when there is no such asset. */
    DashboardResponse get(String name) {
        byte[] body = files.get(name);
        if (body == null) {
            return null;
        }
        return Http.respond(200, Map.of("Content-Type", List.of(TYPES.get(name)), "Cache-Control", List.of("no-cache")),
                body);
    }

    private static byte[] read(String name) {
        try (InputStream in = StaticAssets.class.getResourceAsStream("assets/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing dashboard asset dev/jobqueue/dashboard/assets/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
