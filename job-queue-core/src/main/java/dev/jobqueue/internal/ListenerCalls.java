package dev.jobqueue.internal;

import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;

/** Calls each listener in turn; one that throws is logged and neither stops the others nor the caller. */
final class ListenerCalls {
    private ListenerCalls() {
    }

    static <L> void each(List<L> listeners, Logger logger, String event, Consumer<L> call) {
        for (L l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                logFailure(logger, l, event, e);
            }
        }
    }

    static void logFailure(Logger logger, Object listener, String event, Throwable e) {
        logger.warn("listener {} threw on {}", listener, event, e);
    }
}
