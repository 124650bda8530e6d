package dev.jobqueue.dashboard;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running {@link Dashboard} on the JDK's HTTP server, as {@link Dashboard.Builder#start()}
 * returns it: the bound port and address, and {@link #close()} to stop serving.
 *
 * <!-- snippet: dashboard-server -->
 * <pre>{@code
 * DashboardServer server = Dashboard.builder(storage).token(token).port(0).start(); // 0: any free port
 * URI page = server.uri();   // http://127.0.0.1:<port>/
 * server.close();
 * }</pre>
 */
public final class DashboardServer implements AutoCloseable {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private final Dashboard dashboard;
    private final HttpServer server;
    private final ExecutorService executor;

    private DashboardServer(Dashboard dashboard, HttpServer server, ExecutorService executor) {
        this.dashboard = dashboard;
        this.server = server;
        this.executor = executor;
    }

    static DashboardServer start(Dashboard dashboard, String bindAddress, int port) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(bindAddress, port), 0);
        } catch (IOException e) {
            dashboard.close();
            throw new UncheckedIOException("cannot listen on " + bindAddress + ":" + port, e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "jq-dashboard-http-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", dashboard.httpHandler());
        server.start();
        return new DashboardServer(dashboard, server, executor);
    }

    /**
     * The port it listens on (the one picked when the builder's port was 0).
     *
     * @return the bound port
     */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * The page's address, e.g. {@code http://127.0.0.1:8080/}.
     *
     * @return the URI of the page
     */
    public URI uri() {
        String host = server.getAddress().getHostString();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + port() + "/");
    }

    /**
     * The dashboard it serves (e.g. to call {@link Dashboard#handle} directly).
     *
     * @return the dashboard
     */
    public Dashboard dashboard() {
        return dashboard;
    }

    /** Stops serving at once and stops the dashboard's sampler. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        dashboard.close();
    }
}
