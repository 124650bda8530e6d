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

    /**
     * @param <R>   the result type
     * @param id    the job id
     * @param state QUEUED, or DELAYED when the job has a delay or a run-at time
     * @return the result of an enqueue that created the job
     */
    public static <R> EnqueueResult<R> queued(String id, JobState state) {
        return new EnqueueResult<>(Kind.QUEUED, id, state, null, null);
    }

    /**
     * @param <R>   the result type
     * @param id    the job id
     * @param state the existing job's state
     * @param error the existing job's last error, or {@code null}
     * @return the result of an enqueue that found a job under the id that has not completed
     */
    public static <R> EnqueueResult<R> duplicate(String id, JobState state, JobError error) {
        return new EnqueueResult<>(Kind.DUPLICATE, id, state, null, error);
    }

    /**
     * @param <R>    the result type
     * @param id     the job id
     * @param result the completed job's cached result
     * @return the result of an enqueue that found a completed job under the id
     */
    public static <R> EnqueueResult<R> completed(String id, R result) {
        return new EnqueueResult<>(Kind.COMPLETED, id, JobState.COMPLETED, result, null);
    }

    /** @return what the enqueue did */
    public Kind kind() {
        return kind;
    }

    /** @return the job id the enqueue was for */
    public String id() {
        return id;
    }

    /** @return the job's state: QUEUED/DELAYED for a new job, the existing state for a duplicate */
    public JobState state() {
        return state;
    }

    /** @return the cached result when {@link Kind#COMPLETED}, else {@code null} */
    public R result() {
        return result;
    }

    /** @return the persisted error when the duplicate is FAILED (or FAILING: the last error), else {@code null} */
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
