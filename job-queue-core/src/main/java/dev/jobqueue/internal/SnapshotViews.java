package dev.jobqueue.internal;

import dev.jobqueue.JobInfo;
import dev.jobqueue.JobState;
import dev.jobqueue.JobStatus;
import dev.jobqueue.Serde;
import dev.jobqueue.spi.JobSnapshot;

/**
 * Turns a storage's {@link JobSnapshot} (bytes) into the typed views of the API:
 * {@link JobStatus} (a result that cannot be read throws, as {@code status} always did) and
 * {@link JobInfo} (a payload or result that cannot be read becomes {@code null} plus a
 * {@code decodeError}, so one odd job never breaks a listing).
 */
final class SnapshotViews<P, R> {
    private final Serde<P> payloadSerde;
    private final Serde<R> resultSerde;

    SnapshotViews(Serde<P> payloadSerde, Serde<R> resultSerde) {
        this.payloadSerde = payloadSerde;
        this.resultSerde = resultSerde;
    }

    JobStatus<R> status(JobSnapshot s) {
        R result = hasResult(s) ? resultSerde.deserialize(s.result()) : null;
        return new JobStatus<>(s.id(), s.state(), s.priority(), s.createdAt(), s.runAt(), s.attempts(), s.maxAttempts(),
                s.stalls(), result, s.error(), s.expiresAt(), s.metadata(), s.startedAt(), s.finishedAt());
    }

    JobInfo<P, R> info(JobSnapshot s) {
        P payload = null;
        R result = null;
        String decodeError = null;
        if (s.payload() != null) {
            try {
                payload = payloadSerde.deserialize(s.payload());
            } catch (RuntimeException e) {
                decodeError = "payload: " + e.getMessage();
            }
        }
        if (hasResult(s)) {
            try {
                result = resultSerde.deserialize(s.result());
            } catch (RuntimeException e) {
                decodeError = (decodeError == null ? "" : decodeError + "; ") + "result: " + e.getMessage();
            }
        }
        return new JobInfo<>(s.id(), s.state(), payload, s.metadata(), s.priority(), s.attempts(), s.maxAttempts(),
                s.stalls(), s.createdAt(), s.runAt(), s.startedAt(), s.finishedAt(), s.expiresAt(), result, s.error(),
                s.workerId(), s.leaseDeadline(), decodeError);
    }

    private static boolean hasResult(JobSnapshot s) {
        return s.state() == JobState.COMPLETED && s.result() != null;
    }
}
