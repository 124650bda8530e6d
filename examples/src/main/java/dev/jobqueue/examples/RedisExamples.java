package dev.jobqueue.examples;

import dev.jobqueue.redis.RedisStorage;

/** What the Redis examples share: where Redis is ({@code REDIS_URL}) and the queue's name. */
final class RedisExamples {
    static final String QUEUE = "emails";

    private RedisExamples() {
    }

    /** {@code REDIS_URL}, e.g. {@code redis://user:pass@host:6379/0}; defaults to a local server. */
    static RedisStorage storage() {
        String url = System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379");
        return RedisStorage.builder().uri(url).keyPrefix("jq-examples").build();
    }
}
