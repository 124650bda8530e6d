package dev.jobqueue.internal;

import dev.jobqueue.spi.JobSnapshot;
import java.time.Duration;
import java.util.Optional;

/**
 * The message of a wait timeout, from the job's state when the timeout passed: a caller whose job
 * still sits QUEUED learns that nobody may be serving the queue, one whose storage did not answer
 * learns that instead of a bare "did not finish".
 *
 * <pre>{@code
 * TimeoutMessage.of("orders", "o-1", Duration.ofSeconds(5), Optional.of(snapshot), null, Duration.ofMillis(500))
 * // "job o-1 still QUEUED after 5 s: is a worker running for queue orders?"
 * }</pre>
 */
final class TimeoutMessage {
    private TimeoutMessage() {
    }

    /**
     * @param status the job's status read at the timeout; {@code null} when the read did not end
     *               within {@code readLimit}
     * @param error  why the status read failed, or {@code null}
     */
    static String of(String queue, String jobId, Duration timeout, Optional<JobSnapshot> status, Throwable error,
                     Duration readLimit) {
        String head = "job " + jobId;
        String after = " after " + human(timeout);
        if (error != null) {
            Throwable cause = error.getCause() != null ? error.getCause() : error;
            return head + " did not finish within " + human(timeout) + "; reading its state failed: " + cause.getMessage();
        }
        if (status == null) {
            return head + " did not finish within " + human(timeout) + "; its state is unknown: the storage did not"
                    + " answer a status read within " + human(readLimit) + " (is it reachable?)";
        }
        if (status.isEmpty()) {
            return head + " not found" + after + " (expired, or its enqueue not yet applied by the storage)";
        }
        JobSnapshot s = status.get();
        return switch (s.state()) {
            case QUEUED -> head + " still QUEUED" + after + ": is a worker running for queue " + queue + "?";
            case DELAYED -> head + " still DELAYED" + after + " (due at " + s.runAt() + ")";
            case PROCESSING -> head + " still PROCESSING" + after + " (attempt " + s.attempts() + " on worker "
                    + s.workerId() + ")";
            case FAILING -> head + " still FAILING" + after + " (attempt " + s.attempts() + " of " + s.maxAttempts()
                    + " failed, next try at " + s.runAt() + ")";
            case COMPLETED, FAILED, CANCELLED -> head + " became " + s.state() + " just as its wait of "
                    + human(timeout) + " ended";
        };
    }

    private static String human(Duration d) {
        if (d.toMillis() % 1000 == 0) {
            return d.toSeconds() + " s";
        }
        return d.toMillis() + " ms";
    }
}
