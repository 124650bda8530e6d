package dev.jobqueue.file;

import dev.jobqueue.contract.ApiSignature;
import org.junit.jupiter.api.Test;

/** job-queue-file's public API against job-queue-file/api/job-queue-file.api. */
class FileApiSignatureTest {

    @Test
    void publicApiMatchesTheCheckedInSignature() {
        ApiSignature.of(FileStorage.class, "dev.jobqueue.file")
                .assertMatches(ApiSignature.moduleFile("job-queue-file"));
    }
}
