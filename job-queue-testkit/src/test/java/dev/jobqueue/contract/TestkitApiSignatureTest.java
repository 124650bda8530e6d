package dev.jobqueue.contract;

import org.junit.jupiter.api.Test;

/** The testkit's public API (what third-party storages build on) against job-queue-testkit/api/job-queue-testkit.api. */
class TestkitApiSignatureTest {

    @Test
    void publicApiMatchesTheCheckedInSignature() {
        ApiSignature.of(StorageContract.class, "dev.jobqueue.contract")
                .assertMatches(ApiSignature.moduleFile("job-queue-testkit"));
    }
}
