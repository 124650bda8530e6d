package dev.jobqueue.dashboard;

import com.sun.net.httpserver.HttpHandler;
import dev.jobqueue.spi.CheckedStorage;
import dev.jobqueue.spi.Storage;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator dashboard: a web page and the JSON API behind it, over any {@link Storage}. It shows
 * every queue with its counts per state, pause flag, next job's age and a chart of throughput and
 * failures over the last hour; job lists per state (paged, search by id); each job's payload,
 * metadata, attempts, timings and error with its stack trace; and it retries, deletes, cancels,
 * promotes, bulk-retries failed jobs, purges a state and pauses or resumes a queue, each after a
 * confirmation in the page.
 *
 * <p>Start it on its own port (the JDK's HTTP server, bound to 127.0.0.1 unless told otherwise):
 *
 * <!-- snippet: dashboard-start -->
 * <pre>{@code
 * try (DashboardServer server = Dashboard.builder(storage)
 *         .port(8080)
 *         .token(System.getenv("JQ_DASHBOARD_TOKEN"))   // or .basicAuth(user, password)
 *         .start()) {
 *     System.out.println("dashboard at " + server.uri());
 *     awaitShutdown();
 * }
 * }</pre>
 *
 * <p>or mount it in a server the application already runs, with {@link #httpHandler()} for the
 * JDK's {@code HttpServer}, or with {@link #handle(DashboardRequest)} from any framework:
 *
 * <!-- snippet: dashboard-mount -->
 * <pre>{@code
 * Dashboard dashboard = Dashboard.builder(storage).token(token).readOnly(true).build();
 * httpServer.createContext("/jobs", dashboard.httpHandler());   // the page is at /jobs/
 * }</pre>
 *
 * <p>Security: it does not start without a credential ({@link Builder#token},
 * {@link Builder#basicAuth}) unless told {@link Builder#insecureNoAuth()}; credentials are compared
 * in constant time; every POST must carry the caller's CSRF token (header {@code X-CSRF-Token},
 * from {@code GET api/session}) and come from the dashboard's own origin; a
 * {@link Builder#readOnly read-only} dashboard refuses every action with 403; payloads and results
 * of chosen queues are never sent to the browser ({@link Builder#hidePayloads}); responses carry a
 * strict Content-Security-Policy (no inline script), {@code X-Frame-Options: DENY} and
 * {@code nosniff}; logs name actions, queues and job ids, never credentials or payloads.
 *
 * <p>Cost: a page load of the overview makes one {@code queueNames} call and three calls per queue
 * ({@code counts}, {@code isPaused}, a one-job {@code listJobs}); a job list one {@code listJobs}
 * page; a job page one {@code status}; the charts none (a background sampler reads
 * {@code finishedTotals} of every queue every {@link Builder#sampleInterval} into a ring buffer).
 * So every page does bounded work however many jobs the queues hold.
 */
public final class Dashboard implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);

    private final Security security;
    private final DashboardApi api;
    private final StaticAssets assets = new StaticAssets();
    private final ThroughputSampler sampler;
    private final ScheduledExecutorService sampling;
    private final boolean readOnly;

    private Dashboard(Builder b) {
        Storage storage = CheckedStorage.of(b.storage);
        this.security = new Security(b.mode, b.token, b.user, b.password, b.allowedOrigins, b.clock);
        this.sampler = new ThroughputSampler(storage, b.clock, b.sampleInterval, b.history);
        Set<String> hidden = Set.copyOf(b.hiddenPayloadQueues);
        boolean hideAll = b.hideAllPayloads;
        Predicate<String> payloadHidden = queue -> hideAll || hidden.contains(queue);
        this.api = new DashboardApi(storage, sampler, payloadHidden, b.clock);
        this.readOnly = b.readOnly;
        this.sampling = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jq-dashboard-sampler");
            t.setDaemon(true);
            return t;
        });
        long interval = b.sampleInterval.toMillis();
        sampling.scheduleWithFixedDelay(sampler::sample, 0, interval, TimeUnit.MILLISECONDS);
        if (b.mode == Security.Mode.NONE) {
            LOG.warn("dashboard: started WITHOUT authentication (insecureNoAuth): anyone who reaches it can {}",
                    readOnly ? "read every queue" : "read and change every queue");
        }
    }

    /**
     * Starts configuring a dashboard over {@code storage}.
     *
     * @param storage the storage whose queues it shows (any: memory, file, Redis, ...)
     * @return a new builder
     * @throws IllegalArgumentException when {@code storage} is {@code null}
     */
    public static Builder builder(Storage storage) {
        if (storage == null) {
            throw new IllegalArgumentException("storage must not be null");
        }
        return new Builder(storage);
    }

    /**
     * The dashboard as a handler for a context of the JDK's {@code HttpServer}; the context's path
     * is where the page lives (a request for the bare path is redirected to it with a slash).
     *
     * @return the handler
     */
    public HttpHandler httpHandler() {
        return new JdkHttpAdapter(this);
    }

    /**
     * Answers one request: the framework-neutral entry point for adapters (servlet, Spring, ...).
     * Never throws for a bad request; a storage failure is answered with 503.
     *
     * @param request the request
     * @return the response to send
     * @throws IllegalArgumentException when {@code request} is {@code null}
     */
    public DashboardResponse handle(DashboardRequest request) {
        if (request == null) {
            throw new IllegalArgumentException("request must not be null");
        }
        try {
            return route(request);
        } catch (Http.BadRequest e) {
            return Http.error(400, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("dashboard: {} {} failed", request.method(), request.path(), e);
            return Http.error(503, "the storage call failed: " + e.getClass().getSimpleName());
        }
    }

    private DashboardResponse route(DashboardRequest request) {
        String path = request.path();
        String method = request.method();
        if (!path.startsWith("/api/")) {
            return page(request, path, method);
        }
        boolean post = method.equals("POST");
        if (!post && !method.equals("GET")) {
            return Http.error(405, "GET for reads, POST for actions");
        }
        if (post && path.equals("/api/login")) {
            return login(request);
        }
        Security.Principal who = security.authenticate(request);
        if (who == null) {
            return unauthorized();
        }
        Map<String, String> params = Http.query(request.query());
        if (!post) {
            return switch (path) {
                case "/api/session" -> Http.json(200, Map.of("mode", security.mode().name().toLowerCase(java.util.Locale.ROOT),
                        "readOnly", readOnly, "csrfToken", security.csrfToken(who)));
                case "/api/queues" -> api.queues();
                case "/api/throughput" -> api.throughput();
                case "/api/jobs" -> api.jobs(params);
                case "/api/job" -> api.job(params);
                default -> Http.error(404, "no such endpoint: GET " + path);
            };
        }
        if (!security.originAllowed(request, who)) {
            return Http.error(403, "cross-origin request refused (Origin does not match the dashboard)");
        }
        if (!security.csrfMatches(request, who)) {
            return Http.error(403, "missing or wrong CSRF token (header X-CSRF-Token, from GET api/session)");
        }
        if (path.equals("/api/logout")) {
            security.endSession(request);
            return Http.json(200, Map.of("loggedOut", true),
                    Map.of("Set-Cookie", Security.expiredSessionCookie(request.basePath())));
        }
        if (readOnly) {
            return Http.error(403, "this dashboard is read-only");
        }
        if (path.startsWith("/api/job/")) {
            return api.jobAction(path.substring("/api/job/".length()), params, who);
        }
        if (path.startsWith("/api/queue/")) {
            return api.queueAction(path.substring("/api/queue/".length()), params, who);
        }
        return Http.error(404, "no such endpoint: POST " + path);
    }

    private DashboardResponse page(DashboardRequest request, String path, String method) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return Http.error(405, "the page is read with GET");
        }
        // With basic auth the browser asks for the credential when the page loads. With a token the
        // page itself holds no data and shows the login form; the API behind it needs the token.
        if (security.mode() == Security.Mode.BASIC && security.authenticate(request) == null) {
            return unauthorized();
        }
        String name = path.equals("/") ? "index.html" : path.startsWith("/assets/") ? path.substring(8) : null;
        DashboardResponse asset = name == null ? null : assets.get(name);
        return asset != null ? asset : Http.error(404, "not found");
    }

    private DashboardResponse login(DashboardRequest request) {
        if (security.mode() != Security.Mode.TOKEN) {
            return Http.error(404, "login is for token mode; this dashboard uses " + security.mode().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (!security.originAllowed(request, null)) {
            return Http.error(403, "cross-origin request refused (Origin does not match the dashboard)");
        }
        String token = DashboardApi.loginToken(request.body());
        if (!security.tokenMatches(token)) {
            LOG.warn("dashboard: login with a wrong token refused");
            return Http.error(401, "wrong token");
        }
        String session = security.newSession();
        Security.Principal who = new Security.Principal("session:" + session, true, "session");
        return Http.json(200, Map.of("csrfToken", security.csrfToken(who), "readOnly", readOnly),
                Map.of("Set-Cookie", Security.sessionCookie(request, session)));
    }

    private DashboardResponse unauthorized() {
        if (security.mode() == Security.Mode.BASIC) {
            return Http.json(401, Map.of("error", "authentication required", "mode", "basic"),
                    Map.of("WWW-Authenticate", List.of("Basic realm=\"job-queue dashboard\", charset=\"UTF-8\"")));
        }
        return Http.json(401, Map.of("error", "authentication required", "mode", "token"));
    }

    /** Takes one throughput sample now (tests; the sampler also runs on its own). */
    void sampleNow() {
        sampler.sample();
    }

    /** Stops the throughput sampler. The storage stays open: it belongs to the caller. */
    @Override
    public void close() {
        sampling.shutdownNow();
    }

    /**
     * Configures a {@link Dashboard}. Setters validate at once and return {@code this}.
     *
     * <!-- snippet: dashboard-builder -->
     * <pre>{@code
     * Dashboard.builder(storage)
     *         .basicAuth("ops", System.getenv("JQ_DASHBOARD_PASSWORD"))
     *         .bindAddress("0.0.0.0").port(9090)        // default 127.0.0.1, port 8080
     *         .readOnly(true)                            // every action answers 403
     *         .hidePayloads("payments")                  // never sent to the browser
     *         .sampleInterval(Duration.ofSeconds(10))
     *         .start();
     * }</pre>
     */
    public static final class Builder {
        private final Storage storage;
        private Security.Mode mode;
        private String token;
        private String user;
        private String password;
        private String bindAddress = "127.0.0.1";
        private int port = 8080;
        private boolean readOnly;
        private final Set<String> hiddenPayloadQueues = new HashSet<>();
        private boolean hideAllPayloads;
        private final Set<String> allowedOrigins = new LinkedHashSet<>();
        private Duration sampleInterval = Duration.ofSeconds(5);
        private Duration history = Duration.ofHours(1);
        private Clock clock = Clock.systemUTC();

        private Builder(Storage storage) {
            this.storage = storage;
        }

        /**
         * Requires this bearer token: API clients send {@code Authorization: Bearer <token>}, the page
         * asks for it once and keeps a session cookie (HttpOnly, SameSite=Strict).
         *
         * @param token the secret, at least 16 characters
         * @return this builder
         * @throws IllegalArgumentException when {@code token} is {@code null} or shorter than 16 characters
         */
        public Builder token(String token) {
            if (token == null || token.length() < 16) {
                throw new IllegalArgumentException("token must be at least 16 characters");
            }
            this.mode = Security.Mode.TOKEN;
            this.token = token;
            return this;
        }

        /**
         * Requires HTTP basic authentication with this user and password (use it behind TLS).
         *
         * @param user the user name, not empty, without {@code ':'}
         * @param password the password, at least 12 characters
         * @return this builder
         * @throws IllegalArgumentException naming the argument when it is {@code null} or too weak
         */
        public Builder basicAuth(String user, String password) {
            if (user == null || user.isEmpty() || user.contains(":")) {
                throw new IllegalArgumentException("user must be non-empty and without ':'");
            }
            if (password == null || password.length() < 12) {
                throw new IllegalArgumentException("password must be at least 12 characters");
            }
            this.mode = Security.Mode.BASIC;
            this.user = user;
            this.password = password;
            return this;
        }

        /**
         * Serves without any credential: for a dashboard reachable only by trusted people (a
         * developer's machine). CSRF and Origin checks still apply. Logged as a warning at start.
         *
         * @return this builder
         */
        public Builder insecureNoAuth() {
            this.mode = Security.Mode.NONE;
            this.token = null;
            this.user = null;
            this.password = null;
            return this;
        }

        /**
         * The address {@link #start()} binds to; default {@code 127.0.0.1} (this host only).
         *
         * @param bindAddress a host name or IP address, e.g. {@code 0.0.0.0} for every interface
         * @return this builder
         * @throws IllegalArgumentException when {@code bindAddress} is {@code null} or empty
         */
        public Builder bindAddress(String bindAddress) {
            if (bindAddress == null || bindAddress.isEmpty()) {
                throw new IllegalArgumentException("bindAddress must not be empty");
            }
            this.bindAddress = bindAddress;
            return this;
        }

        /**
         * The port {@link #start()} listens on; default 8080; 0 picks a free one.
         *
         * @param port 0..65535
         * @return this builder
         * @throws IllegalArgumentException when out of range
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Read-only: every action (retry, delete, cancel, promote, purge, pause, resume) answers 403.
         *
         * @param readOnly true for a read-only dashboard; default false
         * @return this builder
         */
        public Builder readOnly(boolean readOnly) {
            this.readOnly = readOnly;
            return this;
        }

        /**
         * Never sends the payloads and results of these queues to the browser (the job page says
         * they are hidden).
         *
         * @param queues queue names
         * @return this builder
         * @throws IllegalArgumentException when a name is {@code null}
         */
        public Builder hidePayloads(String... queues) {
            if (queues == null) {
                throw new IllegalArgumentException("queues must not be null");
            }
            for (String q : queues) {
                if (q == null) {
                    throw new IllegalArgumentException("queues must not contain null");
                }
                hiddenPayloadQueues.add(q);
            }
            return this;
        }

        /**
         * Never sends any payload or result to the browser.
         *
         * @return this builder
         */
        public Builder hideAllPayloads() {
            this.hideAllPayloads = true;
            return this;
        }

        /**
         * An origin (e.g. {@code https://ops.example.com}) from which actions are accepted. By
         * default only the origin the request was sent to (its Host header) is; set this behind a
         * reverse proxy that changes the Host.
         *
         * @param origin scheme, host and port, without a path
         * @return this builder
         * @throws IllegalArgumentException when {@code origin} is not {@code http(s)://host[:port]}
         */
        public Builder allowedOrigin(String origin) {
            if (origin == null || !origin.matches("https?://[^/\\s]+")) {
                throw new IllegalArgumentException("origin must be http(s)://host[:port], got " + origin);
            }
            allowedOrigins.add(origin);
            return this;
        }

        /**
         * How often the chart's sampler reads every queue's finished totals; default 5 s.
         *
         * @param interval at least 100 ms
         * @return this builder
         * @throws IllegalArgumentException when shorter than 100 ms or {@code null}
         */
        public Builder sampleInterval(Duration interval) {
            if (interval == null || interval.toMillis() < 100) {
                throw new IllegalArgumentException("sampleInterval must be >= 100ms, got " + interval);
            }
            this.sampleInterval = interval;
            return this;
        }

        /**
         * How much history the charts keep in memory; default one hour.
         *
         * @param history at least one sample interval
         * @return this builder
         * @throws IllegalArgumentException when {@code null} or not positive
         */
        public Builder history(Duration history) {
            if (history == null || history.isNegative() || history.isZero()) {
                throw new IllegalArgumentException("history must be > 0, got " + history);
            }
            this.history = history;
            return this;
        }

        /**
         * The clock of sessions, ages and samples (tests); default UTC system clock.
         *
         * @param clock the clock
         * @return this builder
         * @throws IllegalArgumentException when {@code null}
         */
        public Builder clock(Clock clock) {
            if (clock == null) {
                throw new IllegalArgumentException("clock must not be null");
            }
            this.clock = clock;
            return this;
        }

        /**
         * The dashboard, for mounting in an existing server; its sampler runs until {@link Dashboard#close()}.
         *
         * @return the dashboard
         * @throws IllegalStateException when no credential was set and {@link #insecureNoAuth()} was not called
         */
        public Dashboard build() {
            if (mode == null) {
                throw new IllegalStateException("the dashboard needs a credential: set token(...) or basicAuth(...),"
                        + " or call insecureNoAuth() to serve it to anyone who can reach it");
            }
            return new Dashboard(this);
        }

        /**
         * Builds the dashboard and serves it with the JDK's HTTP server on {@link #bindAddress}:{@link #port}.
         *
         * @return the running server; close it to stop
         * @throws IllegalStateException when no credential was set (see {@link #build()})
         * @throws java.io.UncheckedIOException when the port cannot be bound
         */
        public DashboardServer start() {
            return DashboardServer.start(build(), bindAddress, port);
        }
    }
}
