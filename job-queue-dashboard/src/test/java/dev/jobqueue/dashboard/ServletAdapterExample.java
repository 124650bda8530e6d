package dev.jobqueue.dashboard;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The dashboard in a servlet container (Tomcat, Jetty, Spring Boot's embedded server): map this
 * servlet to {@code /jobs/*} and the page is at {@code /jobs/}. The README points here; it is
 * compiled with the tests so it stays correct.
 */
public class ServletAdapterExample extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient Dashboard dashboard;

    public ServletAdapterExample(Dashboard dashboard) {
        this.dashboard = dashboard;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Map<String, String> headers = new HashMap<>();
        for (String name : Collections.list(req.getHeaderNames())) {
            headers.put(name, String.join(", ", Collections.list(req.getHeaders(name))));
        }
        String path = req.getPathInfo() == null ? "/" : req.getPathInfo();
        DashboardResponse r = dashboard.handle(DashboardRequest.of(req.getMethod(),
                req.getContextPath() + req.getServletPath(), path, req.getQueryString(), headers,
                req.getInputStream().readNBytes(64 * 1024)));
        resp.setStatus(r.status());
        r.headers().forEach((name, values) -> values.forEach(v -> resp.addHeader(name, v)));
        resp.getOutputStream().write(r.body());
    }
}
