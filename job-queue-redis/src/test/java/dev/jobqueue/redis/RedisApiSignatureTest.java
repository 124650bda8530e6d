package dev.jobqueue.redis;

import dev.jobqueue.contract.ApiSignature;
import org.junit.jupiter.api.Test;

/** job-queue-redis's public API against job-queue-redis/api/job-queue-redis.api. */
class RedisApiSignatureTest {

    @Test
    void publicApiMatchesTheCheckedInSignature() {
        ApiSignature.of(RedisStorage.class, "dev.jobqueue.redis")
                .assertMatches(ApiSignature.moduleFile("job-queue-redis"));
    }
}
