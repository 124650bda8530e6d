package dev.jobqueue.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobqueue.JobState;
import dev.jobqueue.spi.CheckedStorage;
import dev.jobqueue.spi.Storage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint and action of the dashboard's JSON API, and every way a request can be refused
 * (no credential, wrong token or password, read-only, missing or wrong CSRF token, wrong or
 * missing Origin), over real HTTP against a running {@link DashboardServer}. Subclasses give the
 * storage (memory, a real Redis).
 */
abstract class DashboardApiContract {
    static final String TOKEN = "test-token-0123456789abcdef";
    protected Storage storage;
    protected String queue;
    private final List<DashboardServer> servers = new ArrayList<>();

    protected abstract Storage createStorage();

    protected void destroyStorage(Storage s) {
        s.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        storage = createStorage();
        queue = "orders-" + UUID.randomUUID();
        TestQueues.populate(storage, queue);
    }

    @AfterEach
    void tearDown() {
        servers.forEach(DashboardServer::close);
        destroyStorage(storage);
    }

    DashboardServer start(Dashboard.Builder b) {
        DashboardServer s = b.port(0).start();
        servers.add(s);
        return s;
    }

    HttpProbe tokenDashboard() {
        return new HttpProbe(start(Dashboard.builder(storage).token(TOKEN)).uri());
    }

    String[] bearer(HttpProbe p, String... more) {
        String csrf = p.get("api/session", "Authorization", "Bearer " + TOKEN).json().get("csrfToken").asText();
        List<String> h = new ArrayList<>(List.of("Authorization", "Bearer " + TOKEN, "X-CSRF-Token", csrf, "Origin", p.origin()));
        h.addAll(List.of(more));
        return h.toArray(String[]::new);
    }

    String q() {
        return java.net.URLEncoder.encode(queue, StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- reads

    @Test
    void overviewShowsEveryQueueWithCountsPauseNextJobAndTotals() {
        DashboardServer server = start(Dashboard.builder(storage).token(TOKEN));
        server.dashboard().sampleNow();
        HttpProbe p = new HttpProbe(server.uri());
        JsonNode queues = p.get("api/queues", "Authorization", "Bearer " + TOKEN).json().get("queues");
        JsonNode mine = null;
        for (JsonNode q : queues) {
            if (q.get("name").asText().equals(queue)) {
                mine = q;
            }
        }
        assertNotNull(mine, queues.toString());
        for (JobState s : JobState.values()) {
            assertEquals(1, mine.get("counts").get(s.name()).asLong(), s + " in " + mine);
        }
        assertFalse(mine.get("paused").asBoolean());
        assertEquals("job-queued", mine.get("nextJob").get("id").asText());
        assertTrue(mine.get("nextJob").get("ageMillis").asLong() >= 0);
        assertEquals(1, mine.get("totals").get("completed").asLong());
        assertEquals(1, mine.get("totals").get("failed").asLong());
    }

    @Test
    void throughputIsSampledFromFinishedTotals() throws Exception {
        DashboardServer server = start(Dashboard.builder(storage).token(TOKEN).sampleInterval(Duration.ofHours(1)));
        server.dashboard().sampleNow();
        Storage s = CheckedStorage.of(storage);
        s.enqueue(queue, TestQueues.job("more", Duration.ZERO, 1));
        // job-queued is first in line, then more
        for (var c : s.claim(queue, "w2", 2, Duration.ofMinutes(1), Duration.ZERO)) {
            s.complete(queue, new dev.jobqueue.spi.LeaseRef(c.id(), c.fencingToken()), "1".getBytes(StandardCharsets.UTF_8), null);
        }
        Thread.sleep(20);
        server.dashboard().sampleNow();
        JsonNode series = new HttpProbe(server.uri()).get("api/throughput", "Authorization", "Bearer " + TOKEN)
                .json().get("queues").get(queue);
        assertNotNull(series);
        assertEquals(1, series.get("at").size());
        assertTrue(series.get("completedPerMinute").get(0).asDouble() > 0, series.toString());
        assertEquals(0.0, series.get("failedPerMinute").get(0).asDouble());
    }

    @Test
    void jobListsPageWithTheCursorApiAndEveryJobAppearsOnce() throws Exception {
        Storage s = CheckedStorage.of(storage);
        for (int i = 0; i < 5; i++) {
            s.enqueue(queue, TestQueues.job("extra-" + i, Duration.ZERO, 1));
        }
        HttpProbe p = tokenDashboard();
        Set<String> seen = new HashSet<>();
        List<String> order = new ArrayList<>();
        String cursor = "";
        int pages = 0;
        do {
            JsonNode page = p.get("api/jobs?queue=" + q() + "&state=QUEUED&limit=2&cursor="
                    + java.net.URLEncoder.encode(cursor, StandardCharsets.UTF_8), "Authorization", "Bearer " + TOKEN).json();
            for (JsonNode j : page.get("jobs")) {
                assertTrue(seen.add(j.get("id").asText()), "twice: " + j);
                order.add(j.get("id").asText());
                assertFalse(j.has("payload"), "lists carry no payloads");
            }
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
            pages++;
        } while (cursor != null);
        assertEquals(List.of("job-queued", "extra-0", "extra-1", "extra-2", "extra-3", "extra-4"), order);
        assertEquals(3, pages);
        JsonNode failed = p.get("api/jobs?queue=" + q() + "&state=failed", "Authorization", "Bearer " + TOKEN).json();
        assertTrue(failed.get("jobs").get(0).get("errorPreview").asText().contains("card declined"));
        HttpProbe.Reply bad = p.get("api/jobs?queue=" + q() + "&state=QUEUED&cursor=garbage", "Authorization", "Bearer " + TOKEN);
        assertEquals(400, bad.status());
        assertTrue(bad.json().get("error").asText().contains("cursor"), bad.body());
    }

    @Test
    void jobPageShowsPayloadMetadataTimingAndTheErrorWithItsStackTrace() {
        HttpProbe p = tokenDashboard();
        JsonNode job = p.get("api/job?queue=" + q() + "&id=job-failed", "Authorization", "Bearer " + TOKEN).json();
        assertEquals("FAILED", job.get("state").asText());
        assertEquals("job-failed", job.get("payload").get("order").asText());
        assertEquals("acme", job.get("metadata").get("tenant").asText());
        assertEquals(1, job.get("attempts").asInt());
        assertFalse(job.get("startedAt").isNull());
        assertFalse(job.get("finishedAt").isNull());
        assertEquals(TestQueues.STACK, job.get("error").get("stackTrace").asText());
        assertEquals("DECLINED", job.get("error").get("code").asText());
        JsonNode done = p.get("api/job?queue=" + q() + "&id=job-completed", "Authorization", "Bearer " + TOKEN).json();
        assertEquals("r-1", done.get("result").get("receipt").asText());
        HttpProbe.Reply missing = p.get("api/job?queue=" + q() + "&id=nope", "Authorization", "Bearer " + TOKEN);
        assertEquals(404, missing.status());
    }

    @Test
    void hiddenPayloadsAreNeverSentToTheBrowser() {
        HttpProbe p = new HttpProbe(start(Dashboard.builder(storage).token(TOKEN).hidePayloads(queue)).uri());
        HttpProbe.Reply job = p.get("api/job?queue=" + q() + "&id=job-completed", "Authorization", "Bearer " + TOKEN);
        assertTrue(job.json().get("payloadHidden").asBoolean());
        assertFalse(job.body().contains(TestQueues.SECRET), job.body());
        assertFalse(job.body().contains("r-1"), "results are hidden too: " + job.body());
        HttpProbe.Reply list = p.get("api/jobs?queue=" + q() + "&state=COMPLETED", "Authorization", "Bearer " + TOKEN);
        assertFalse(list.body().contains(TestQueues.SECRET), list.body());
    }

    @Test
    void badArgumentsAnswer400NamingTheArgument() {
        HttpProbe p = tokenDashboard();
        String[] auth = {"Authorization", "Bearer " + TOKEN};
        assertTrue(p.get("api/jobs?state=QUEUED", auth).json().get("error").asText().contains("queue"));
        assertTrue(p.get("api/jobs?queue=" + q() + "&state=NOPE", auth).json().get("error").asText().contains("state"));
        assertTrue(p.get("api/jobs?queue=" + q() + "&state=QUEUED&limit=0", auth).json().get("error").asText().contains("limit"));
        assertTrue(p.get("api/jobs?queue=" + q() + "&state=QUEUED&order=SIDEWAYS", auth).json().get("error").asText().contains("order"));
        assertEquals(400, p.get("api/job?queue=" + q(), auth).status());
        assertEquals(404, p.get("api/nothing", auth).status());
        assertEquals(405, p.send("DELETE", "api/queues", null, auth).status());
    }

    // ---------------------------------------------------------------- actions

    @Test
    void jobActionsRetryPromoteCancelDelete() {
        HttpProbe p = tokenDashboard();
        String[] h = bearer(p);
        String base = "api/job/%s?queue=" + q() + "&id=%s";
        HttpProbe.Reply retried = p.post(String.format(base, "retry", "job-failed"), "", h);
        assertEquals(200, retried.status(), retried.body());
        assertEquals("RETRIED", retried.json().get("result").asText());
        assertEquals(JobState.QUEUED, state("job-failed"));
        HttpProbe.Reply again = p.post(String.format(base, "retry", "job-failed"), "", h);
        assertEquals(409, again.status());
        assertEquals("NOT_RETRYABLE", again.json().get("result").asText());

        assertEquals("PROMOTED", p.post(String.format(base, "promote", "job-delayed"), "", h).json().get("result").asText());
        assertEquals(JobState.QUEUED, state("job-delayed"));
        assertEquals("NOT_DELAYED", p.post(String.format(base, "promote", "job-completed"), "", h).json().get("result").asText());

        assertEquals("CANCELLED", p.post(String.format(base, "cancel", "job-queued"), "", h).json().get("result").asText());
        assertEquals(JobState.CANCELLED, state("job-queued"));

        assertEquals("DELETED", p.post(String.format(base, "delete", "job-completed"), "", h).json().get("result").asText());
        assertNull(state("job-completed"));
        HttpProbe.Reply processing = p.post(String.format(base, "delete", "job-processing"), "", h);
        assertEquals(409, processing.status());
        assertEquals("PROCESSING", processing.json().get("result").asText());
        HttpProbe.Reply unknown = p.post(String.format(base, "delete", "nope"), "", h);
        assertEquals(404, unknown.status());
        assertEquals(404, p.post(String.format(base, "explode", "job-queued"), "", h).status());
    }

    @Test
    void queueActionsBulkRetryPurgePauseResume() {
        Storage s = CheckedStorage.of(storage);
        HttpProbe p = tokenDashboard();
        String[] h = bearer(p);
        JsonNode retried = p.post("api/queue/retry-failed?queue=" + q(), "", h).json();
        assertEquals(1, retried.get("retried").asLong());
        assertEquals(JobState.QUEUED, state("job-failed"));

        JsonNode purged = p.post("api/queue/purge?queue=" + q() + "&state=CANCELLED", "", h).json();
        assertEquals(1, purged.get("deleted").asLong());
        assertNull(state("job-cancelled"));
        assertEquals(400, p.post("api/queue/purge?queue=" + q() + "&state=PROCESSING", "", h).status());
        assertEquals(400, p.post("api/queue/purge?queue=" + q(), "", h).status());

        assertTrue(p.post("api/queue/pause?queue=" + q(), "", h).json().get("changed").asBoolean());
        assertTrue(s.isPaused(queue));
        assertFalse(p.post("api/queue/pause?queue=" + q(), "", h).json().get("changed").asBoolean());
        assertTrue(p.post("api/queue/resume?queue=" + q(), "", h).json().get("changed").asBoolean());
        assertFalse(s.isPaused(queue));
    }

    // ---------------------------------------------------------------- security

    @Test
    void refusesToStartWithoutACredential() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Dashboard.builder(storage).build());
        assertTrue(e.getMessage().contains("insecureNoAuth"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Dashboard.builder(storage).token("short"));
        assertThrows(IllegalArgumentException.class, () -> Dashboard.builder(storage).basicAuth("a:b", "long-enough-password"));
    }

    @Test
    void withoutOrWithAWrongCredentialNothingIsServed() {
        HttpProbe p = tokenDashboard();
        assertEquals(401, p.get("api/queues").status());
        assertEquals(401, p.get("api/queues", "Authorization", "Bearer wrong-token-0123456789").status());
        assertEquals(401, p.get("api/job?queue=" + q() + "&id=job-failed", "Authorization", "Basic " + basic("a", TOKEN)).status());
        assertEquals(401, p.get("api/queues", "Cookie", Security.SESSION_COOKIE + "=forged").status());
        assertEquals(401, p.post("api/queue/pause?queue=" + q(), "", "Origin", p.origin()).status());
        assertFalse(CheckedStorage.of(storage).isPaused(queue));
        // the page itself holds no data and is served, so it can ask for the token
        HttpProbe.Reply page = p.get("");
        assertEquals(200, page.status());
        assertTrue(page.body().contains("assets/app.js"));
    }

    @Test
    void basicAuthChallengesAndChecksUserAndPassword() {
        HttpProbe p = new HttpProbe(start(Dashboard.builder(storage).basicAuth("ops", "correct horse battery")).uri());
        HttpProbe.Reply none = p.get("");
        assertEquals(401, none.status());
        assertTrue(none.header("WWW-Authenticate").startsWith("Basic"), none.header("WWW-Authenticate"));
        assertEquals(401, p.get("api/queues", "Authorization", "Basic " + basic("ops", "wrong password!")).status());
        assertEquals(401, p.get("api/queues", "Authorization", "Basic " + basic("root", "correct horse battery")).status());
        assertEquals(401, p.get("api/queues", "Authorization", "Bearer " + TOKEN).status());
        String auth = "Basic " + basic("ops", "correct horse battery");
        assertEquals(200, p.get("", "Authorization", auth).status());
        String csrf = p.get("api/session", "Authorization", auth).json().get("csrfToken").asText();
        assertEquals(403, p.post("api/queue/pause?queue=" + q(), "", "Authorization", auth, "Origin", p.origin()).status(),
                "basic auth is sent by browsers on their own: CSRF token required");
        assertEquals(200, p.post("api/queue/pause?queue=" + q(), "", "Authorization", auth, "Origin", p.origin(),
                "X-CSRF-Token", csrf).status());
    }

    @Test
    void loginSessionThenCsrfAndOriginGuardEveryAction() {
        HttpProbe p = tokenDashboard();
        HttpProbe.Reply wrong = p.post("api/login", "{\"token\":\"wrong-token-0123456789\"}", "Origin", p.origin());
        assertEquals(401, wrong.status());
        assertNull(wrong.header("Set-Cookie"));
        assertEquals(403, p.post("api/login", "{\"token\":\"" + TOKEN + "\"}", "Origin", "https://evil.example").status(),
                "login from another origin");
        HttpProbe.Reply login = p.post("api/login", "{\"token\":\"" + TOKEN + "\"}", "Origin", p.origin());
        assertEquals(200, login.status(), login.body());
        String cookie = login.header("Set-Cookie");
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
        assertFalse(cookie.contains("Secure"), "the page came over http: " + cookie);
        String httpsCookie = p.post("api/login", "{\"token\":\"" + TOKEN + "\"}", "Origin",
                p.origin().replace("http://", "https://")).header("Set-Cookie");
        assertTrue(httpsCookie.contains("; Secure"), "behind TLS the cookie is Secure: " + httpsCookie);
        String session = cookie.substring(0, cookie.indexOf(';'));
        String csrf = login.json().get("csrfToken").asText();
        assertEquals(csrf, p.get("api/session", "Cookie", session).json().get("csrfToken").asText());
        String pause = "api/queue/pause?queue=" + q();

        assertEquals(403, p.post(pause, "", "Cookie", session, "Origin", p.origin()).status(), "no CSRF token");
        assertEquals(403, p.post(pause, "", "Cookie", session, "Origin", p.origin(), "X-CSRF-Token", csrf + "x").status(),
                "wrong CSRF token");
        assertEquals(403, p.post(pause, "", "Cookie", session, "X-CSRF-Token", csrf).status(), "no Origin nor Referer");
        assertEquals(403, p.post(pause, "", "Cookie", session, "Origin", "https://evil.example", "X-CSRF-Token", csrf).status(),
                "wrong Origin");
        assertEquals(403, p.post(pause, "", "Cookie", session, "Referer", "https://evil.example/x", "X-CSRF-Token", csrf).status(),
                "wrong Referer");
        String otherCsrf = p.get("api/session", "Authorization", "Bearer " + TOKEN).json().get("csrfToken").asText();
        assertEquals(403, p.post(pause, "", "Cookie", session, "Origin", p.origin(), "X-CSRF-Token", otherCsrf).status(),
                "another principal's CSRF token");
        assertFalse(CheckedStorage.of(storage).isPaused(queue), "no refused request changed anything");

        assertEquals(200, p.post(pause, "", "Cookie", session, "Referer", p.origin() + "/#/", "X-CSRF-Token", csrf).status());
        assertTrue(CheckedStorage.of(storage).isPaused(queue));

        assertEquals(200, p.post("api/logout", "", "Cookie", session, "Origin", p.origin(), "X-CSRF-Token", csrf).status());
        assertEquals(401, p.get("api/queues", "Cookie", session).status(), "the session ended");
    }

    @Test
    void bearerClientsNeedTheCsrfTokenButNoOrigin() {
        HttpProbe p = tokenDashboard();
        String csrf = p.get("api/session", "Authorization", "Bearer " + TOKEN).json().get("csrfToken").asText();
        String pause = "api/queue/pause?queue=" + q();
        assertEquals(403, p.post(pause, "", "Authorization", "Bearer " + TOKEN).status());
        assertEquals(200, p.post(pause, "", "Authorization", "Bearer " + TOKEN, "X-CSRF-Token", csrf).status());
    }

    @Test
    void readOnlyRefusesEveryAction() {
        HttpProbe p = new HttpProbe(start(Dashboard.builder(storage).token(TOKEN).readOnly(true)).uri());
        String[] h = bearer(p);
        assertTrue(p.get("api/session", "Authorization", "Bearer " + TOKEN).json().get("readOnly").asBoolean());
        for (String action : List.of("api/job/retry?queue=" + q() + "&id=job-failed", "api/job/delete?queue=" + q() + "&id=job-queued",
                "api/job/cancel?queue=" + q() + "&id=job-queued", "api/job/promote?queue=" + q() + "&id=job-delayed",
                "api/queue/retry-failed?queue=" + q(), "api/queue/purge?queue=" + q() + "&state=COMPLETED",
                "api/queue/pause?queue=" + q(), "api/queue/resume?queue=" + q())) {
            HttpProbe.Reply r = p.post(action, "", h);
            assertEquals(403, r.status(), action);
            assertTrue(r.body().contains("read-only"), r.body());
        }
        assertEquals(JobState.FAILED, state("job-failed"));
        assertEquals(JobState.QUEUED, state("job-queued"));
        assertEquals(200, p.get("api/queues", "Authorization", "Bearer " + TOKEN).status(), "reads still work");
    }

    @Test
    void insecureNoAuthStillChecksCsrfAndOrigin() {
        HttpProbe p = new HttpProbe(start(Dashboard.builder(storage).insecureNoAuth()).uri());
        assertEquals(200, p.get("api/queues").status());
        String csrf = p.get("api/session").json().get("csrfToken").asText();
        assertEquals(403, p.post("api/queue/pause?queue=" + q(), "", "Origin", p.origin()).status());
        assertEquals(403, p.post("api/queue/pause?queue=" + q(), "", "X-CSRF-Token", csrf).status());
        assertEquals(200, p.post("api/queue/pause?queue=" + q(), "", "Origin", p.origin(), "X-CSRF-Token", csrf).status());
    }

    @Test
    void everyResponseCarriesTheSecurityHeaders() {
        HttpProbe p = tokenDashboard();
        for (HttpProbe.Reply r : List.of(p.get(""), p.get("assets/app.js"), p.get("api/queues"),
                p.get("api/queues", "Authorization", "Bearer " + TOKEN), p.get("assets/missing.js"))) {
            String csp = r.header("Content-Security-Policy");
            assertNotNull(csp, r.toString());
            assertTrue(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), csp);
            assertTrue(csp.contains("frame-ancestors 'none'"), csp);
            assertEquals("DENY", r.header("X-Frame-Options"));
            assertEquals("nosniff", r.header("X-Content-Type-Options"));
        }
        assertEquals("text/javascript; charset=utf-8", p.get("assets/app.js").header("Content-Type"));
    }

    JobState state(String id) {
        return CheckedStorage.of(storage).status(queue, id).map(s -> s.state()).orElse(null);
    }

    static String basic(String user, String password) {
        return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
