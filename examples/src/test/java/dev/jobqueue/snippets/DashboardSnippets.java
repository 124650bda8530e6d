package dev.jobqueue.snippets;

import com.sun.net.httpserver.HttpServer;
import dev.jobqueue.dashboard.Dashboard;
import dev.jobqueue.dashboard.DashboardRequest;
import dev.jobqueue.dashboard.DashboardResponse;
import dev.jobqueue.dashboard.DashboardServer;
import dev.jobqueue.spi.FinishedTotals;
import dev.jobqueue.spi.Storage;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * The examples in the Javadoc of the dashboard module, in the README's Dashboard section, and of
 * the operator reads of the storage SPI (queueNames, finishedTotals): compiled, never run.
 */
@SuppressWarnings("unused")
abstract class DashboardSnippets {
    Storage storage;
    String token;
    Dashboard dashboard;
    HttpServer httpServer;
    DashboardRequest request;

    abstract void awaitShutdown();

    void finishedTotals() throws InterruptedException {
        // snippet: spi-finished-totals
        FinishedTotals before = storage.finishedTotals("emails");
        Thread.sleep(10_000);
        FinishedTotals after = storage.finishedTotals("emails");
        long completedPer10s = after.completed() - before.completed(); // negative after a reset: start over
        // end-snippet
    }

    void queueNamesContract() {
        // snippet: queue-names-contract
        for (String name : storage.queueNames()) {          // every queue with a job or a pause flag
            FinishedTotals t = storage.finishedTotals(name); // monotonic: COMPLETED and FAILED so far
            System.out.println(name + ": " + t.completed() + " completed, " + t.failed() + " failed");
        }
        // end-snippet
    }

    void start() {
        // snippet: dashboard-start
        try (DashboardServer server = Dashboard.builder(storage)
                .port(8080)
                .token(System.getenv("JQ_DASHBOARD_TOKEN"))   // or .basicAuth(user, password)
                .start()) {
            System.out.println("dashboard at " + server.uri());
            awaitShutdown();
        }
        // end-snippet
    }

    void mount() {
        // snippet: dashboard-mount
        Dashboard dashboard = Dashboard.builder(storage).token(token).readOnly(true).build();
        httpServer.createContext("/jobs", dashboard.httpHandler());   // the page is at /jobs/
        // end-snippet
    }

    void builder() {
        // snippet: dashboard-builder
        Dashboard.builder(storage)
                .basicAuth("ops", System.getenv("JQ_DASHBOARD_PASSWORD"))
                .bindAddress("0.0.0.0").port(9090)        // default 127.0.0.1, port 8080
                .readOnly(true)                            // every action answers 403
                .hidePayloads("payments")                  // never sent to the browser
                .sampleInterval(Duration.ofSeconds(10))
                .start();
        // end-snippet
    }

    void server() {
        // snippet: dashboard-server
        DashboardServer server = Dashboard.builder(storage).token(token).port(0).start(); // 0: any free port
        URI page = server.uri();   // http://127.0.0.1:<port>/
        server.close();
        // end-snippet
    }

    void request() {
        // snippet: dashboard-request
        DashboardRequest request = DashboardRequest.of("GET", "/jobs", "/api/queues", null,
                Map.of("Authorization", "Bearer " + token), new byte[0]);
        DashboardResponse response = dashboard.handle(request);
        // end-snippet
    }

    void response() {
        // snippet: dashboard-response
        DashboardResponse response = dashboard.handle(request);
        response.headers().forEach((name, values) -> values.forEach(v -> System.out.println(name + ": " + v)));
        System.out.println(response.status() + ", " + response.body().length + " bytes");
        // end-snippet
    }

    void readme() {
        // snippet: readme-dashboard
        DashboardServer server = Dashboard.builder(storage)   // any Storage: Redis, file, memory
                .token(System.getenv("JQ_DASHBOARD_TOKEN"))    // required: or basicAuth(...), or insecureNoAuth()
                .port(8080)                                    // listens on 127.0.0.1 unless bindAddress(...)
                .start();
        System.out.println("open " + server.uri());
        // end-snippet
    }
}
