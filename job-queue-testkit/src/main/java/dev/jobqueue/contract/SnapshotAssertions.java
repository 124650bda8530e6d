package dev.jobqueue.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jobqueue.JobError;
import dev.jobqueue.spi.JobSnapshot;
import java.util.Objects;

/**
 * Field-by-field comparison of job snapshots, shared by the example and the model-based tests.
 * The wording of a "stalled too often" error is each storage's own, so only its type, code,
 * attempts and time are compared.
 *
 * <!-- snippet: snapshot-assertions -->
 * <pre>{@code
 * SnapshotAssertions.assertSameRecord(model.status(id).orElseThrow(), storage.status(q, id).orElseThrow(), "after claim");
 * }</pre>
 */
public final class SnapshotAssertions {
    private SnapshotAssertions() {
    }

    /**
     * Asserts that two records agree field by field; a failure names the job and the field.
     *
     * @param expected the record the model or the test expects
     * @param actual the record the storage returned
     */
    public static void assertSameRecord(JobSnapshot expected, JobSnapshot actual) {
        assertSameRecord(expected, actual, "");
    }

    /**
     * Asserts that two records agree field by field; a failure names the context, the job and the
     * field.
     *
     * @param expected the record the model or the test expects
     * @param actual the record the storage returned
     * @param context where the records come from, for the failure message; may be empty
     */
    public static void assertSameRecord(JobSnapshot expected, JobSnapshot actual, String context) {
        String where = context.isEmpty() ? expected.id() : context + ", job " + expected.id();
        assertEquals(expected.id(), actual.id(), where + ": id");
        assertEquals(expected.state(), actual.state(), where + ": state");
        assertEquals(expected.priority(), actual.priority(), where + ": priority");
        assertEquals(expected.createdAt(), actual.createdAt(), where + ": createdAt");
        assertEquals(expected.runAt(), actual.runAt(), where + ": runAt");
        assertEquals(expected.attempts(), actual.attempts(), where + ": attempts");
        assertEquals(expected.maxAttempts(), actual.maxAttempts(), where + ": maxAttempts");
        assertEquals(expected.stalls(), actual.stalls(), where + ": stalls");
        assertArrayEquals(expected.result(), actual.result(), where + ": result");
        assertSameError(expected.error(), actual.error(), where + ": error");
        assertEquals(expected.expiresAt(), actual.expiresAt(), where + ": expiresAt");
        assertEquals(expected.workerId(), actual.workerId(), where + ": workerId");
        assertEquals(expected.leaseDeadline(), actual.leaseDeadline(), where + ": leaseDeadline");
    }

    /**
     * {@link #assertSameRecord}, and also the payload, metadata, startedAt and finishedAt: what
     * {@code status} and {@code listJobs} return.
     *
     * @param expected the record the model or the test expects
     * @param actual the record the storage returned
     * @param context where the records come from, for the failure message; may be empty
     */
    public static void assertSameFullRecord(JobSnapshot expected, JobSnapshot actual, String context) {
        assertSameRecord(expected, actual, context);
        String where = context.isEmpty() ? expected.id() : context + ", job " + expected.id();
        assertArrayEquals(expected.payload(), actual.payload(), where + ": payload");
        assertEquals(expected.metadata(), actual.metadata(), where + ": metadata");
        assertEquals(expected.startedAt(), actual.startedAt(), where + ": startedAt");
        assertEquals(expected.finishedAt(), actual.finishedAt(), where + ": finishedAt");
    }

    /**
     * Asserts that two errors are equal; for a stall error, only the type, code, attempts and failure
     * time are compared (not the message or trace).
     *
     * @param expected the expected error, or {@code null}
     * @param actual the stored error, or {@code null}
     * @param where names the record and field in the failure message
     */
    public static void assertSameError(JobError expected, JobError actual, String where) {
        if (expected == null || actual == null || !JobError.STALLED_TYPE.equals(expected.type())) {
            assertEquals(expected, actual, where);
            return;
        }
        boolean same = expected.type().equals(actual.type()) && Objects.equals(expected.code(), actual.code())
                && expected.attempts() == actual.attempts() && expected.failedAt().equals(actual.failedAt());
        assertEquals(true, same, where + ": expected a stalled error like " + expected + " but was " + actual);
    }
}
