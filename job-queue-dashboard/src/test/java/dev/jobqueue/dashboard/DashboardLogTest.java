package dev.jobqueue.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.memory.MemoryStorage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * What the dashboard logs (slf4j-simple writes to System.err, captured here): actions with queue,
 * job id and result, refused logins; never the token, a password or a payload.
 */
class DashboardLogTest {
    @Test
    void logsNameActionsButNoSecretOrPayload() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        MemoryStorage storage = new MemoryStorage();
        TestQueues.populate(storage, "orders");
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try (DashboardServer server = Dashboard.builder(storage).token(DashboardApiContract.TOKEN).port(0).start()) {
            HttpProbe p = new HttpProbe(server.uri());
            p.post("api/login", "{\"token\":\"wrong-guess-" + DashboardApiContract.TOKEN + "\"}", "Origin", p.origin());
            String csrf = p.get("api/session", "Authorization", "Bearer " + DashboardApiContract.TOKEN).json()
                    .get("csrfToken").asText();
            String[] h = {"Authorization", "Bearer " + DashboardApiContract.TOKEN, "X-CSRF-Token", csrf};
            assertEquals(200, p.post("api/job/retry?queue=orders&id=job-failed", "", h).status());
            assertEquals(200, p.get("api/job?queue=orders&id=job-completed", h).status());
            assertEquals(200, p.post("api/queue/purge?queue=orders&state=COMPLETED", "", h).status());
        } finally {
            System.setErr(original);
        }
        String logs = captured.toString(StandardCharsets.UTF_8);
        assertTrue(logs.contains("retry job job-failed of queue orders -> RETRIED"), logs);
        assertTrue(logs.contains("login with a wrong token refused"), logs);
        assertFalse(logs.contains(DashboardApiContract.TOKEN), logs);
        assertFalse(logs.contains(TestQueues.SECRET), logs);
        assertFalse(logs.contains("receipt"), logs);
    }
}
