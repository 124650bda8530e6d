package dev.jobqueue.dashboard;

import dev.jobqueue.contract.ApiSignature;
import org.junit.jupiter.api.Test;

/** job-queue-dashboard's public API against job-queue-dashboard/api/job-queue-dashboard.api. */
class DashboardApiSignatureTest {

    @Test
    void publicApiMatchesTheCheckedInSignature() {
        ApiSignature.of(Dashboard.class, "dev.jobqueue.dashboard")
                .assertMatches(ApiSignature.moduleFile("job-queue-dashboard"));
    }
}
