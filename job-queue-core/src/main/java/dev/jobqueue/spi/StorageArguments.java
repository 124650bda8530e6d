package dev.jobqueue.spi;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The argument checks every {@link Storage} applies before touching its data, kept in one place so
 * that each storage rejects bad input with the same clear {@link IllegalArgumentException}.
 *
 * <!-- snippet: storage-arguments -->
 * <pre>{@code
 * StorageArguments.requirePositive(lease, "lease");
 * StorageArguments.requireValidJob(job);
 * }</pre>
 */
public final class StorageArguments {
    private StorageArguments() {
    }

    /** Non-null queue name. */
    public static String requireQueue(String queue) {
        return Objects.requireNonNull(queue, "queue");
    }

    /** Non-empty job id. */
    public static String requireJobId(String jobId) {
        Objects.requireNonNull(jobId, "jobId");
        if (jobId.isEmpty()) {
            throw new IllegalArgumentException("jobId must not be empty");
        }
        return jobId;
    }

    /** A duration strictly greater than zero. */
    public static Duration requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be > 0, was " + value);
        }
        return value;
    }

    /** A duration of zero or more. */
    public static Duration requireNonNegative(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must be >= 0, was " + value);
        }
        return value;
    }

    /** A count of at least one. */
    public static int requireAtLeastOne(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, was " + value);
        }
        return value;
    }

    /** Checks the arguments of {@link Storage#claim}. */
    public static void requireClaim(String queue, String workerId, int max, Duration lease, Duration maxWait) {
        requireQueue(queue);
        Objects.requireNonNull(workerId, "workerId");
        requireAtLeastOne(max, "max");
        requirePositive(lease, "lease");
        requireNonNegative(maxWait, "maxWait");
    }

    /** A result TTL override: {@code null} (the job's own TTL) or a duration greater than zero. */
    public static Duration requireOptionalTtl(Duration ttl) {
        return ttl == null ? null : requirePositive(ttl, "resultTtl");
    }

    /** Checks the argument of {@link Storage#completeAll}: no null completion, valid TTL overrides. */
    public static List<Completion> requireCompletions(List<Completion> completions) {
        Objects.requireNonNull(completions, "completions");
        for (Completion c : completions) {
            Objects.requireNonNull(c, "completion");
            requireOptionalTtl(c.resultTtl());
        }
        return completions;
    }

    /** Checks the fields of a job handed to {@link Storage#enqueue}. */
    public static NewJob requireValidJob(NewJob job) {
        Objects.requireNonNull(job, "job");
        requireJobId(job.id());
        requireNonNegative(job.delay(), "delay");
        requireAtLeastOne(job.maxAttempts(), "maxAttempts");
        if (job.maxStalls() < 0) {
            throw new IllegalArgumentException("maxStalls must be >= 0, was " + job.maxStalls());
        }
        requirePositive(job.resultTtl(), "resultTtl");
        return job;
    }
}
