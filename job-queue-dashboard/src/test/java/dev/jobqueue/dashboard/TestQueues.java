package dev.jobqueue.dashboard;

import dev.jobqueue.JobError;
import dev.jobqueue.spi.CheckedStorage;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.NewJob;
import dev.jobqueue.spi.Storage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Puts one job in every state into a queue, through the SPI, as workers and producers would. */
final class TestQueues {
    static final String SECRET = "s3cr3t-payload-value";
    static final String STACK = "java.lang.IllegalStateException: card declined\n\tat shop.Payments.charge(Payments.java:42)";

    private TestQueues() {
    }

    static NewJob job(String id, Duration delay, int maxAttempts) {
        byte[] payload = ("{\"order\":\"" + id + "\",\"card\":\"" + SECRET + "\"}").getBytes(StandardCharsets.UTF_8);
        return new NewJob(id, payload, 0, delay, null, maxAttempts, 1, Duration.ofHours(1), false,
                Map.of("tenant", "acme"));
    }

    /**
     * job-completed, job-failed (with a stack trace), job-failing (retry in an hour),
     * job-processing (leased for an hour), job-cancelled, job-delayed (due in an hour), job-queued.
     */
    static void populate(Storage raw, String queue) throws InterruptedException {
        Storage s = CheckedStorage.of(raw);
        claimAnd(s, queue, "job-completed", 1, lease -> s.complete(queue, lease,
                "{\"receipt\":\"r-1\"}".getBytes(StandardCharsets.UTF_8), null));
        claimAnd(s, queue, "job-failed", 1, lease -> s.fail(queue, lease,
                new JobError("java.lang.IllegalStateException", "card declined", STACK, "DECLINED", 1, Instant.now()), null));
        claimAnd(s, queue, "job-failing", 3, lease -> s.retry(queue, lease, Duration.ofHours(1),
                new JobError("java.io.IOException", "timeout", null, null, 1, Instant.now())));
        claimAnd(s, queue, "job-processing", 1, lease -> { });
        s.enqueue(queue, job("job-cancelled", Duration.ZERO, 1));
        s.cancel(queue, "job-cancelled");
        s.enqueue(queue, job("job-delayed", Duration.ofHours(1), 1));
        s.enqueue(queue, job("job-queued", Duration.ZERO, 1));
    }

    private interface LeaseAction {
        void apply(LeaseRef lease);
    }

    private static void claimAnd(Storage s, String queue, String id, int maxAttempts, LeaseAction action)
            throws InterruptedException {
        s.enqueue(queue, job(id, Duration.ZERO, maxAttempts));
        List<ClaimedJob> claimed = s.claim(queue, "test-worker", 1, Duration.ofHours(1), Duration.ZERO);
        if (claimed.size() != 1 || !claimed.get(0).id().equals(id)) {
            throw new IllegalStateException("expected to claim " + id + ", got " + claimed);
        }
        action.apply(new LeaseRef(id, claimed.get(0).fencingToken()));
    }
}
