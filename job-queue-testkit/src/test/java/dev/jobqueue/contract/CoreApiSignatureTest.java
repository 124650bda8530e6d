package dev.jobqueue.contract;

import dev.jobqueue.Queue;
import org.junit.jupiter.api.Test;

/**
 * job-queue-core's public API (the packages its jar is meant to export; not dev.jobqueue.internal)
 * against job-queue-core/api/job-queue-core.api. Lives here because core cannot depend on the testkit.
 */
class CoreApiSignatureTest {

    @Test
    void publicApiMatchesTheCheckedInSignature() {
        ApiSignature.of(Queue.class, "dev.jobqueue", "dev.jobqueue.spi", "dev.jobqueue.memory")
                .assertMatches(ApiSignature.moduleFile("job-queue-core"));
    }
}
