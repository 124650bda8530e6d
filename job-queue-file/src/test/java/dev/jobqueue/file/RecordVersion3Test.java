package dev.jobqueue.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.QueueLimits;
import dev.jobqueue.file.RecordCodec.AdvanceEntry;
import dev.jobqueue.file.RecordCodec.Entry;
import dev.jobqueue.file.RecordCodec.LimitsEntry;
import dev.jobqueue.file.RecordCodec.MalformedRecordException;
import dev.jobqueue.file.RecordCodec.RecordBuffer;
import dev.jobqueue.file.RecordCodec.ScheduleEntry;
import dev.jobqueue.file.RecordCodec.ThrottleEntry;
import dev.jobqueue.file.RecordCodec.UnscheduleEntry;
import dev.jobqueue.spi.ScheduleRecord;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The record types of version 3 (LIMITS, THROTTLE, SCHEDULE, UNSCHEDULE, ADVANCE) decode to what
 * was encoded, and what cannot be one of them is refused: such a type in a version 2 record, limits
 * that {@link QueueLimits} rejects, an ADVANCE to version 1.
 */
class RecordVersion3Test {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00.123456789Z");

    @Test
    void everyNewRecordTypeDecodesToWhatWasEncoded() {
        QueueLimits limits = new QueueLimits(3, 7, Duration.ofMillis(1500));
        assertEquals(new LimitsEntry("q", limits), roundTrip(b -> b.limits("q", limits)));
        assertEquals(new LimitsEntry("q", QueueLimits.NONE), roundTrip(b -> b.limits("q", QueueLimits.NONE)));
        assertEquals(new ThrottleEntry("q", T), roundTrip(b -> b.throttle("q", T)));
        byte[] definition = {0, -1, 2, 'x'};
        ScheduleEntry schedule = (ScheduleEntry) roundTrip(b -> b.schedule("q", new ScheduleRecord("s/..:{}", definition, T, 9)));
        assertEquals("q", schedule.queue());
        assertEquals(new ScheduleRecord("s/..:{}", definition, T, 9), schedule.schedule());
        assertArrayEquals(new byte[0], ((ScheduleEntry) roundTrip(b -> b.schedule("q",
                new ScheduleRecord("e", new byte[0], T, 1)))).schedule().definition());
        assertEquals(new UnscheduleEntry("q", "s"), roundTrip(b -> b.unschedule("q", "s")));
        assertEquals(new AdvanceEntry("q", "s", T, 2), roundTrip(b -> b.advance("q", "s", T, 2)));
    }

    @Test
    void aVersion2RecordCannotHoldTheNewTypes() {
        ByteBuffer body = body(b -> b.limits("q", QueueLimits.NONE));
        body.put(0, RecordCodec.PREVIOUS_VERSION);
        MalformedRecordException e = assertThrows(MalformedRecordException.class, () -> RecordCodec.decode(body));
        assertTrue(e.getMessage().contains("version 2"), e.getMessage());
    }

    @Test
    void limitsThatQueueLimitsRejectsAreMalformed() {
        ByteBuffer body = body(b -> b.limits("q", new QueueLimits(1, 0, null)));
        body.putInt(body.limit() - 16, -1); // maxRunning
        assertThrows(MalformedRecordException.class, () -> RecordCodec.decode(body));
    }

    @Test
    void anAdvanceToVersion1IsMalformed() {
        assertThrows(MalformedRecordException.class, () -> RecordCodec.decode(body(b -> b.advance("q", "s", T, 1))));
    }

    private static Entry roundTrip(Consumer<RecordBuffer> write) {
        return RecordCodec.decode(body(write));
    }

    /** The body of the one record {@code write} frames (after its length and checksum). */
    private static ByteBuffer body(Consumer<RecordBuffer> write) {
        RecordBuffer buffer = new RecordBuffer();
        write.accept(buffer);
        ByteBuffer frame = buffer.asByteBuffer();
        int length = frame.getInt(0);
        assertEquals(frame.remaining(), RecordCodec.FRAME_HEADER + length);
        ByteBuffer body = ByteBuffer.allocate(length);
        body.put(frame.array(), frame.arrayOffset() + RecordCodec.FRAME_HEADER, length).flip();
        assertEquals(RecordCodec.FORMAT_VERSION, body.get(0));
        return body;
    }
}
