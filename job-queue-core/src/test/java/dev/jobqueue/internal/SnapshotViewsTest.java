package dev.jobqueue.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobInfo;
import dev.jobqueue.JobState;
import dev.jobqueue.JobStatus;
import dev.jobqueue.Serde;
import dev.jobqueue.SerdeException;
import dev.jobqueue.spi.JobSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotViewsTest {
    private final SnapshotViews<Integer, Integer> views = new SnapshotViews<>(Serde.json(Integer.class), Serde.json(Integer.class));
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static JobSnapshot completed(String payload, String result) {
        return new JobSnapshot("j", JobState.COMPLETED, 3, T0, null, 1, 3, 0, bytes(result), null, T0.plusSeconds(3600),
                null, null, bytes(payload), Map.of("tenant", "acme"), T0.plusSeconds(1), T0.plusSeconds(2));
    }

    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aReadableJobIsShownWithPayloadResultMetadataAndTimes() {
        JobInfo<Integer, Integer> info = views.info(completed("21", "42"));
        assertEquals(21, info.payload());
        assertEquals(42, info.result());
        assertNull(info.decodeError());
        assertEquals(Map.of("tenant", "acme"), info.metadata());
        assertEquals(T0.plusSeconds(1), info.startedAt());
        assertEquals(T0.plusSeconds(2), info.finishedAt());
        assertEquals(3, info.priority());

        JobStatus<Integer> status = views.status(completed("21", "42"));
        assertEquals(42, status.result());
        assertEquals(Map.of("tenant", "acme"), status.metadata());
        assertEquals(T0.plusSeconds(1), status.startedAt());
        assertEquals(T0.plusSeconds(2), status.finishedAt());
    }

    @Test
    void anUnreadablePayloadOrResultIsNullWithADecodeErrorInsteadOfFailingTheView() {
        JobInfo<Integer, Integer> badPayload = views.info(completed("\"not a number\"", "42"));
        assertNull(badPayload.payload());
        assertEquals(42, badPayload.result());
        assertTrue(badPayload.decodeError().startsWith("payload: "), badPayload.decodeError());

        JobInfo<Integer, Integer> both = views.info(completed("{", "[]"));
        assertNull(both.payload());
        assertNull(both.result());
        assertTrue(both.decodeError().startsWith("payload: ") && both.decodeError().contains("; result: "), both.decodeError());

        assertThrows(SerdeException.class, () -> views.status(completed("1", "[]")),
                "status keeps failing on an unreadable result, as before");
    }

    @Test
    void aSnapshotWithoutPayloadShowsNoPayloadAndNoError() {
        JobSnapshot withoutPayload = new JobSnapshot("j", JobState.QUEUED, 0, T0, null, 0, 3, 0, null, null, null, null, null);
        JobInfo<Integer, Integer> info = views.info(withoutPayload);
        assertNull(info.payload());
        assertNull(info.decodeError());
        assertEquals(Map.of(), info.metadata());
    }
}
