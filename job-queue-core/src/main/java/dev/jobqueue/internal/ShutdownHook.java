package dev.jobqueue.internal;

/**
 * A JVM shutdown hook that runs one action (closing a queue or a reaper on SIGTERM/Ctrl-C) and
 * that its owner removes when it closes normally, so that short-lived queues leave no hook (and
 * no reference to themselves) behind. Hooks of several queues run concurrently, so their grace
 * periods overlap rather than add up.
 *
 * <pre>{@code
 * ShutdownHook hook = ShutdownHook.register("jobqueue-orders-shutdown", queue::close);
 * ...
 * hook.remove(); // in close(); a no-op when called by the hook itself or during shutdown
 * }</pre>
 */
public final class ShutdownHook {
    private final Thread thread;

    private ShutdownHook(Thread thread) {
        this.thread = thread;
    }

    /**
     * Registers {@code action} to run when the JVM shuts down.
     *
     * @throws IllegalStateException when the JVM is already shutting down
     */
    public static ShutdownHook register(String threadName, Runnable action) {
        Thread t = new Thread(action, threadName);
        Runtime.getRuntime().addShutdownHook(t);
        return new ShutdownHook(t);
    }

    /** Unregisters the hook unless it is running or the JVM is already shutting down. */
    public void remove() {
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(thread);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs (or ran) anyway; closing twice is a no-op
        }
    }
}
