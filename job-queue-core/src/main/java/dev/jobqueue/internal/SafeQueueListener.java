package dev.jobqueue.internal;

import dev.jobqueue.AttemptTiming;
import dev.jobqueue.JobError;
import dev.jobqueue.QueueListener;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * Fans events out to the configured listeners, in the order they were added; an exception in one
 * listener is logged and neither reaches the queue nor stops the other listeners. Every method is
 * forwarded as the same method, so a listener's overload defaults (timing overloads calling the
 * shorter ones) apply per listener.
 */
public final class SafeQueueListener implements QueueListener {
    private final QueueListener[] listeners;
    private final Logger logger;

    public SafeQueueListener(List<QueueListener> listeners, Logger logger) {
        this.listeners = listeners.toArray(new QueueListener[0]);
        this.logger = logger;
    }

    private void each(String event, Consumer<QueueListener> call) {
        ListenerCalls.each(Arrays.asList(listeners), logger, event, call);
    }

    // The per-job events are looped over directly: a capturing lambda per event is garbage on the hot path.

    @Override
    public void enqueued(String jobId) {
        for (QueueListener l : listeners) {
            try {
                l.enqueued(jobId);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                ListenerCalls.logFailure(logger, l, "enqueued", e);
            }
        }
    }

    @Override
    public void started(String jobId, int attempt) {
        for (QueueListener l : listeners) {
            try {
                l.started(jobId, attempt);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                ListenerCalls.logFailure(logger, l, "started", e);
            }
        }
    }

    @Override
    public void completed(String jobId, int attempt) {
        for (QueueListener l : listeners) {
            try {
                l.completed(jobId, attempt);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                ListenerCalls.logFailure(logger, l, "completed", e);
            }
        }
    }

    @Override
    public void failing(String jobId, int attempt, Duration retryIn, JobError error) {
        each("failing", l -> l.failing(jobId, attempt, retryIn, error));
    }

    @Override
    public void failed(String jobId, JobError error) {
        each("failed", l -> l.failed(jobId, error));
    }

    @Override
    public void requeued(String jobId) {
        each("requeued", l -> l.requeued(jobId));
    }

    @Override
    public void cancelled(String jobId) {
        each("cancelled", l -> l.cancelled(jobId));
    }

    @Override
    public void leaseLost(String jobId, long fencingToken) {
        each("leaseLost", l -> l.leaseLost(jobId, fencingToken));
    }

    @Override
    public void error(Throwable error) {
        each("error", l -> l.error(error));
    }

    @Override
    public void queueStarted(String queue, String workerId) {
        each("queueStarted", l -> l.queueStarted(queue, workerId));
    }

    @Override
    public void queueStopped(String queue, String workerId) {
        each("queueStopped", l -> l.queueStopped(queue, workerId));
    }

    @Override
    public void started(String jobId, int attempt, Duration queueWait) {
        for (QueueListener l : listeners) {
            try {
                l.started(jobId, attempt, queueWait);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                ListenerCalls.logFailure(logger, l, "started", e);
            }
        }
    }

    @Override
    public void completed(String jobId, int attempt, AttemptTiming timing) {
        for (QueueListener l : listeners) {
            try {
                l.completed(jobId, attempt, timing);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                ListenerCalls.logFailure(logger, l, "completed", e);
            }
        }
    }

    @Override
    public void failing(String jobId, int attempt, Duration retryIn, JobError error, AttemptTiming timing) {
        each("failing", l -> l.failing(jobId, attempt, retryIn, error, timing));
    }

    @Override
    public void failed(String jobId, int attempt, JobError error, AttemptTiming timing) {
        each("failed", l -> l.failed(jobId, attempt, error, timing));
    }

    @Override
    public void handlerUnresponsive(String jobId, int attempt, Duration runningFor) {
        each("handlerUnresponsive", l -> l.handlerUnresponsive(jobId, attempt, runningFor));
    }

    @Override
    public void runningJobCancelled(String jobId, int attempt) {
        each("runningJobCancelled", l -> l.runningJobCancelled(jobId, attempt));
    }

    @Override
    public void snoozed(String jobId, int attempt, Duration delay, boolean backOff) {
        each("snoozed", l -> l.snoozed(jobId, attempt, delay, backOff));
    }
}
