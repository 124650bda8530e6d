package dev.jobqueue.contract;

import static dev.jobqueue.contract.TestJobs.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.CancelResult;
import dev.jobqueue.JobState;
import dev.jobqueue.QueueLimits;
import dev.jobqueue.memory.MemoryStorage;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.ScheduleRecord;
import dev.jobqueue.spi.TransitionOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** FaultInjectingStorage forwards the scheduling and flow-control calls and injects their faults. */
class FaultInjectingStorageTest {
    private final ManualClock clock = new ManualClock();
    private final MemoryStorage memory = new MemoryStorage(clock);
    private final FaultInjectingStorage storage = new FaultInjectingStorage(memory);

    @Test
    void forwardsSnoozeCancelLimitsThrottleAndSchedules() throws Exception {
        storage.enqueue("q", job("a").build());
        ClaimedJob c = storage.claim("q", "w", 1, Duration.ofSeconds(30), Duration.ZERO).get(0);
        assertEquals(TransitionOutcome.APPLIED, storage.snooze("q", new LeaseRef(c.id(), c.fencingToken()), Duration.ofSeconds(1)));
        assertEquals(JobState.DELAYED, memory.status("q", "a").orElseThrow().state());
        assertEquals(CancelResult.CANCELLED, storage.cancel("q", "a"));

        QueueLimits limits = QueueLimits.NONE.withMaxRunning(2);
        storage.setLimits("q", limits);
        assertEquals(limits, memory.limits("q"));
        assertEquals(limits, storage.limits("q"));
        assertEquals(clock.instant().plusSeconds(5), storage.throttle("q", Duration.ofSeconds(5)));

        byte[] definition = "d".getBytes(StandardCharsets.UTF_8);
        ScheduleRecord s = storage.upsertSchedule("q", "s", definition, clock.instant());
        assertEquals(List.of(s), storage.listSchedules("q"));
        assertEquals(List.of(s), storage.dueSchedules("q", 10));
        assertTrue(storage.advanceSchedule("q", "s", 1, clock.instant().plusSeconds(60)));
        assertEquals(2, memory.listSchedules("q").get(0).version());
        assertTrue(storage.removeSchedule("q", "s"));
        assertEquals(List.of(), memory.listSchedules("q"));
        assertEquals(1, storage.snoozes.get());
        assertEquals(1, storage.throttles.get());
        assertEquals(1, storage.dueScans.get());
        assertEquals(1, storage.advances.get());
    }

    @Test
    void injectsFaultsIntoTheNewCalls() throws Exception {
        RuntimeException boom = new IllegalStateException("injected");
        storage.enqueue("q", job("a").build());
        ClaimedJob c = storage.claim("q", "w", 1, Duration.ofSeconds(30), Duration.ZERO).get(0);
        LeaseRef lease = new LeaseRef(c.id(), c.fencingToken());

        storage.snoozeFailure = boom;
        assertSame(boom, assertThrows(IllegalStateException.class, () -> storage.snooze("q", lease, Duration.ZERO)));
        storage.cancelFailure = boom;
        assertSame(boom, assertThrows(IllegalStateException.class, () -> storage.cancel("q", "a")));
        assertEquals(JobState.PROCESSING, memory.status("q", "a").orElseThrow().state(), "nothing reached the storage");

        storage.flowControlFailure = boom;
        assertThrows(IllegalStateException.class, () -> storage.setLimits("q", QueueLimits.NONE.withMaxRunning(1)));
        assertThrows(IllegalStateException.class, () -> storage.limits("q"));
        assertThrows(IllegalStateException.class, () -> storage.throttle("q", Duration.ofSeconds(1)));
        assertEquals(QueueLimits.NONE, memory.limits("q"));

        storage.upsertSchedule("q", "s", new byte[0], clock.instant());
        storage.advanceAnswer = false;
        assertFalse(storage.advanceSchedule("q", "s", 1, clock.instant().plusSeconds(1)), "the injected lost race");
        assertEquals(1, memory.listSchedules("q").get(0).version());
        storage.scheduleFailure = boom;
        assertThrows(IllegalStateException.class, () -> storage.dueSchedules("q", 1));
        assertThrows(IllegalStateException.class, () -> storage.listSchedules("q"));
        assertThrows(IllegalStateException.class, () -> storage.removeSchedule("q", "s"));
        assertThrows(IllegalStateException.class, () -> storage.upsertSchedule("q", "t", new byte[0], clock.instant()));
        assertThrows(IllegalStateException.class, () -> storage.advanceSchedule("q", "s", 1, clock.instant()));
        assertEquals(1, memory.listSchedules("q").size());

        storage.scheduleFailure = null;
        storage.dead = true;
        assertThrows(IllegalStateException.class, () -> storage.listSchedules("q"));
    }
}
