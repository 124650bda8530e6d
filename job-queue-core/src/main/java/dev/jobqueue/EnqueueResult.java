package dev.jobqueue;

import java.util.Objects;

/**
 * What one enqueue did: created a job, found a duplicate, or found a completed job with its
 * cached result.
 *
 * <!-- snippet: enqueue-result -->
 * <pre>{@code
 * EnqueueResult<Receipt> r = queue.enqueue("order-42", order);
 * switch (r.kind()) {
 *     case QUEUED -> log.info("queued as {}", r.state());      // QUEUED or DELAYED
 *     case DUPLICATE -> log.info("already {}", r.state());
 *     case COMPLETED -> log.info("done before: {}", r.result());
 * }
 * }</pre>
 */
public final class EnqueueResult<R> {
    /** The three outcomes of an enqueue. */
    public enum Kind {
        /** A new job was created (state QUEUED or DELAYED). */
        QUEUED,
        /** A job with that id exists and has not completed; {@link #state()} says where it is. */
        DUPLICATE,
        /** A job with that id completed; {@link #result()} is its cached result. */
        COMPLETED
    }

    private final Kind kind;
    private final String id;
    private final JobState state;
    private final R result;
    private final JobError error;

    private EnqueueResult(Kind kind, String id, JobState state, R result, JobError error) {
        this.kind = kind;
        this.id = id;
        this.state = state;
        this.result = result;
        this.error = error;
    }

    public static <R> EnqueueResult<R> queued(String id, JobState state) {
        return new EnqueueResult<>(Kind.QUEUED, id, state, null, null);
    }

    public static <R> EnqueueResult<R> duplicate(String id, JobState state, JobError error) {
        return new EnqueueResult<>(Kind.DUPLICATE, id, state, null, error);
    }

    public static <R> EnqueueResult<R> completed(String id, R result) {
        return new EnqueueResult<>(Kind.COMPLETED, id, JobState.COMPLETED, result, null);
    }

    public Kind kind() {
        return kind;
    }

    public String id() {
        return id;
    }

    /** The job's state: QUEUED/DELAYED for a new job, the existing state for a duplicate. */
    public JobState state() {
        return state;
    }

    /** The cached result when {@link Kind#COMPLETED}, else {@code null}. */
    public R result() {
        return result;
    }

    /** The persisted error when the duplicate is FAILED (or FAILING: the last error), else {@code null}. */
    public JobError error() {
        return error;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnqueueResult<?> e && kind == e.kind && id.equals(e.id) && state == e.state
                && Objects.equals(result, e.result) && Objects.equals(error, e.error);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, id, state, result, error);
    }

    @Override
    public String toString() {
        return "EnqueueResult[" + kind + ", id=" + id + ", state=" + state
                + (result != null ? ", result=" + result : "") + (error != null ? ", error=" + error.type() : "") + "]";
    }
}
