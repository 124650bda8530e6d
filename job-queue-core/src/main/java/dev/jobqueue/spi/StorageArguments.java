package dev.jobqueue.spi;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.RandomAccess;

/**
 * The argument rules of the {@link Storage} SPI, in one place: {@link CheckedStorage} applies
 * them before any storage sees a call, so every storage rejects bad input alike, with an
 * {@link IllegalArgumentException} whose message names the argument.
 *
 * <p>The checks allocate nothing unless they fail: they sit on every enqueue, claim and completion.
 *
 * <p>Package-private: storages do not check arguments themselves, they rely on CheckedStorage.
 */
final class StorageArguments {
    private StorageArguments() {
    }

    /** A queue name: a {@linkplain #requireName name}. */
    static String requireQueue(String queue) {
        return requireName(queue, "queue");
    }

    /** A job id argument ({@code cancel}, {@code status}, ...): a {@linkplain #requireName name}. */
    static String requireJobId(String jobId) {
        return requireName(jobId, "jobId");
    }

    /**
     * The rule for every name of the SPI (queue, job id, worker id, lock, lock owner): not null, not
     * empty, at most {@link CheckedStorage#MAX_NAME_LENGTH} UTF-16 chars, and well-formed UTF-16
     * (each high surrogate followed by a low one, no low surrogate alone). Storages encode names as
     * UTF-8, where an unpaired surrogate has no encoding: it would turn into {@code '?'} and collide
     * with another name, or be lost.
     */
    static String requireName(String value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        int length = value.length();
        if (length == 0) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        if (length > CheckedStorage.MAX_NAME_LENGTH) {
            throw new IllegalArgumentException(name + " must be at most " + CheckedStorage.MAX_NAME_LENGTH
                    + " UTF-16 chars, got " + length);
        }
        requireWellFormed(value, name);
        return value;
    }

    /** Any non-null value. */
    static <T> T requireNonNull(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }

    /** A duration strictly greater than zero. */
    static Duration requirePositive(Duration value, String name) {
        requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
        return value;
    }

    /** A duration of zero or more. */
    static Duration requireNonNegative(Duration value, String name) {
        requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + value);
        }
        return value;
    }

    /** A count of at least one. */
    static int requireAtLeastOne(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
        return value;
    }

    /** Checks the arguments of {@link Storage#claim}. */
    static void requireClaim(String queue, String workerId, int max, Duration lease, Duration maxWait) {
        requireQueue(queue);
        requireName(workerId, "workerId");
        requireAtLeastOne(max, "max");
        requirePositive(lease, "lease");
        requireNonNegative(maxWait, "maxWait");
    }

    /** A result TTL override: {@code null} (the job's own TTL) or a duration greater than zero. */
    static Duration requireOptionalTtl(Duration ttl) {
        return ttl == null ? null : requirePositive(ttl, "resultTtl");
    }

    /** A claim handed back to a fenced transition: not null, with a valid job id. */
    static LeaseRef requireLease(LeaseRef lease, String name) {
        requireNonNull(lease, name);
        requireName(lease.jobId(), "jobId");
        return lease;
    }

    /** Checks the argument of {@link Storage#extend}: a list of valid claims. */
    static List<LeaseRef> requireLeases(List<LeaseRef> leases) {
        requireNonNull(leases, "leases");
        if (leases instanceof RandomAccess) {
            for (int i = 0, n = leases.size(); i < n; i++) {
                requireLease(leases.get(i), i);
            }
        } else {
            int i = 0;
            for (LeaseRef lease : leases) {
                requireLease(lease, i++);
            }
        }
        return leases;
    }

    private static void requireLease(LeaseRef lease, int index) {
        try {
            requireLease(lease, "lease");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("leases[" + index + "]: " + e.getMessage(), e);
        }
    }

    /** Checks the argument of {@link Storage#completeAll}: no null completion, valid claims and TTL overrides. */
    static List<Completion> requireCompletions(List<Completion> completions) {
        requireNonNull(completions, "completions");
        if (completions instanceof RandomAccess) {
            for (int i = 0, n = completions.size(); i < n; i++) {
                requireCompletion(completions.get(i), i);
            }
        } else {
            int i = 0;
            for (Completion c : completions) {
                requireCompletion(c, i++);
            }
        }
        return completions;
    }

    private static void requireCompletion(Completion c, int index) {
        try {
            requireNonNull(c, "completion");
            requireLease(c.lease(), "lease");
            requireNonNull(c.result(), "result");
            requireOptionalTtl(c.resultTtl());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("completions[" + index + "]: " + e.getMessage(), e);
        }
    }

    /** Every surrogate of {@code value} is part of a pair, so the string has a UTF-8 encoding. */
    static void requireWellFormed(String value, String name) {
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                } else {
                    throw new IllegalArgumentException(name + " must be well-formed UTF-16, got an unpaired surrogate \\u"
                            + Integer.toHexString(c).toUpperCase(Locale.ROOT) + " at index " + i);
                }
            }
        }
    }

    /** Checks the fields of a job handed to {@link Storage#enqueue}. */
    static NewJob requireValidJob(NewJob job) {
        requireNonNull(job, "job");
        requireName(job.id(), "id");
        requireNonNull(job.payload(), "payload");
        requireNonNegative(job.delay(), "delay");
        requireAtLeastOne(job.maxAttempts(), "maxAttempts");
        if (job.maxStalls() < 0) {
            throw new IllegalArgumentException("maxStalls must be >= 0, got " + job.maxStalls());
        }
        requirePositive(job.resultTtl(), "resultTtl");
        JobMetadata.requireValid(job.metadata(), "metadata");
        return job;
    }

    /** Checks the argument of {@link Storage#enqueueBatch}: a list of valid jobs. */
    static List<NewJob> requireValidJobs(List<NewJob> jobs) {
        requireNonNull(jobs, "jobs");
        if (jobs instanceof RandomAccess) {
            for (int i = 0, n = jobs.size(); i < n; i++) {
                requireValidJob(jobs.get(i), i);
            }
        } else {
            int i = 0;
            for (NewJob job : jobs) {
                requireValidJob(job, i++);
            }
        }
        return jobs;
    }

    private static void requireValidJob(NewJob job, int index) {
        try {
            requireValidJob(job);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("jobs[" + index + "]: " + e.getMessage(), e);
        }
    }
}
