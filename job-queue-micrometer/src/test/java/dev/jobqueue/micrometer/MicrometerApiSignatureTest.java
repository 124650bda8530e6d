package dev.jobqueue.micrometer;

import dev.jobqueue.contract.ApiSignature;
import org.junit.jupiter.api.Test;

/** job-queue-micrometer's public API against job-queue-micrometer/api/job-queue-micrometer.api. */
class MicrometerApiSignatureTest {

    @Test
    void publicApiMatchesTheCheckedInSignature() {
        ApiSignature.of(QueueMetrics.class, "dev.jobqueue.micrometer")
                .assertMatches(ApiSignature.moduleFile("job-queue-micrometer"));
    }
}
