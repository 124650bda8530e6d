package dev.jobqueue.opentelemetry;

import dev.jobqueue.contract.ApiSignature;
import org.junit.jupiter.api.Test;

/** job-queue-opentelemetry's public API against job-queue-opentelemetry/api/job-queue-opentelemetry.api. */
class OpenTelemetryApiSignatureTest {

    @Test
    void publicApiMatchesTheCheckedInSignature() {
        ApiSignature.of(JobTracing.class, "dev.jobqueue.opentelemetry")
                .assertMatches(ApiSignature.moduleFile("job-queue-opentelemetry"));
    }
}
