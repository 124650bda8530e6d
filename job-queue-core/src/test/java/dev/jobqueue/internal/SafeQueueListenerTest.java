package dev.jobqueue.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jobqueue.AttemptTiming;
import dev.jobqueue.JobError;
import dev.jobqueue.QueueListener;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class SafeQueueListenerTest {
    private static final AttemptTiming TIMING = new AttemptTiming(Instant.EPOCH, Instant.EPOCH.plusMillis(5),
            Duration.ofMillis(5), Duration.ofMillis(2));
    private static final JobError ERROR = new JobError("T", "m", null, null, 1, Instant.EPOCH);

    @Test
    void everyEventReachesEveryListenerInOrderThroughTheOverloadTheListenerOverrides() {
        List<String> seen = new CopyOnWriteArrayList<>();
        QueueListener throwing = new QueueListener() {
            @Override
            public void completed(String jobId, int attempt, AttemptTiming timing) {
                throw new IllegalStateException("broken listener");
            }

            @Override
            public void queueStarted(String queue, String workerId) {
                throw new IllegalStateException("broken listener");
            }
        };
        QueueListener oldStyle = new QueueListener() { // overrides only the short overloads
            @Override
            public void started(String jobId, int attempt) {
                seen.add("old.started:" + jobId);
            }

            @Override
            public void completed(String jobId, int attempt) {
                seen.add("old.completed:" + jobId);
            }

            @Override
            public void failing(String jobId, int attempt, Duration retryIn, JobError error) {
                seen.add("old.failing:" + jobId);
            }

            @Override
            public void failed(String jobId, JobError error) {
                seen.add("old.failed:" + jobId);
            }
        };
        QueueListener timed = new QueueListener() {
            @Override
            public void started(String jobId, int attempt, Duration queueWait) {
                seen.add("timed.started:" + jobId + ":" + queueWait.toMillis());
            }

            @Override
            public void completed(String jobId, int attempt, AttemptTiming timing) {
                seen.add("timed.completed:" + jobId + ":" + timing.duration().toMillis());
            }

            @Override
            public void failing(String jobId, int attempt, Duration retryIn, JobError error, AttemptTiming timing) {
                seen.add("timed.failing:" + jobId + ":" + timing.duration().toMillis());
            }

            @Override
            public void failed(String jobId, int attempt, JobError error, AttemptTiming timing) {
                seen.add("timed.failed:" + jobId + ":" + attempt);
            }

            @Override
            public void queueStarted(String queue, String workerId) {
                seen.add("timed.queueStarted:" + queue + ":" + workerId);
            }

            @Override
            public void queueStopped(String queue, String workerId) {
                seen.add("timed.queueStopped:" + queue + ":" + workerId);
            }
        };
        SafeQueueListener all = new SafeQueueListener(List.of(throwing, oldStyle, timed), LoggerFactory.getLogger("test"));
        all.queueStarted("q", "w");
        all.started("a", 1, Duration.ofMillis(2));
        all.completed("a", 1, TIMING);
        all.failing("b", 1, Duration.ofSeconds(1), ERROR, TIMING);
        all.failed("c", 3, ERROR, TIMING);
        all.queueStopped("q", "w");
        assertEquals(List.of("timed.queueStarted:q:w",
                "old.started:a", "timed.started:a:2",
                "old.completed:a", "timed.completed:a:5",
                "old.failing:b", "timed.failing:b:5",
                "old.failed:c", "timed.failed:c:3",
                "timed.queueStopped:q:w"), seen);
    }
}
