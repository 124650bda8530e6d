package dev.jobqueue.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.spi.ClaimedJob;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** RunningJob's timeout and cancellation bookkeeping: interrupts reach a running handler only. */
class TimeoutBookkeepingTest {
    private static RunningJob<String> job() {
        Instant now = Instant.now();
        return new RunningJob<>(new ClaimedJob("j", new byte[0], 1, 3, now, 7, now.plusSeconds(30), Map.of(), now, now));
    }

    @Test
    void aTimeoutInterruptsTheRunningHandlerAndMarksTheJobCancelled() throws Exception {
        RunningJob<String> job = job();
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        Thread handler = new Thread(() -> {
            job.runsOn(Thread.currentThread());
            started.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        });
        handler.start();
        assertTrue(started.await(10, TimeUnit.SECONDS));
        assertFalse(job.isCancelled());
        assertTrue(job.timeOut(Duration.ofSeconds(1)));
        handler.join(10_000);
        assertTrue(interrupted.get());
        assertTrue(job.isCancelled());
        assertEquals(Duration.ofSeconds(1), job.timedOutAfter());
    }

    @Test
    void noInterruptReachesAHandlerThatReturned() {
        RunningJob<String> job = job();
        job.runsOn(Thread.currentThread());
        assertNull(job.handlerReturned());
        assertFalse(job.timeOut(Duration.ofSeconds(1)), "too late: the handler returned");
        job.interruptRunning(true);
        assertFalse(Thread.currentThread().isInterrupted(), "the recording thread is not interrupted");
        assertTrue(job.isCancelledRunning());
        assertNull(job.timedOutAfter());
    }

    @Test
    void theHandlerLearnsOfATimeoutThatInterruptedItAndItsInterruptIsCleared() {
        RunningJob<String> job = job();
        job.runsOn(Thread.currentThread());
        assertTrue(job.timeOut(Duration.ofMillis(5)));
        assertTrue(Thread.currentThread().isInterrupted());
        assertEquals(Duration.ofMillis(5), job.handlerReturned());
        assertFalse(Thread.currentThread().isInterrupted(), "cleared before the outcome is recorded");
    }

    @Test
    void aCancelledJobIsNotTimedOut() {
        RunningJob<String> job = job();
        job.runsOn(Thread.currentThread());
        job.interruptRunning(true);
        Thread.interrupted();
        assertFalse(job.timeOut(Duration.ofSeconds(1)));
        assertFalse(Thread.currentThread().isInterrupted());
    }
}
