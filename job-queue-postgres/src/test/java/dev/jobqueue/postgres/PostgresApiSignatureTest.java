package dev.jobqueue.postgres;

import dev.jobqueue.contract.ApiSignature;
import org.junit.jupiter.api.Test;

/** job-queue-postgres's public API against job-queue-postgres/api/job-queue-postgres.api. */
class PostgresApiSignatureTest {

    @Test
    void publicApiMatchesTheCheckedInSignature() {
        ApiSignature.of(PostgresStorage.class, "dev.jobqueue.postgres")
                .assertMatches(ApiSignature.moduleFile("job-queue-postgres"));
    }
}
