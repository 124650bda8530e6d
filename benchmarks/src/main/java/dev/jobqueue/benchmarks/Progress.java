package dev.jobqueue.benchmarks;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Prints what the run is doing to stderr every couple of seconds (stdout carries only the result line). */
final class Progress implements AutoCloseable {
    private final String label;
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-progress");
        t.setDaemon(true);
        return t;
    });
    private volatile Supplier<String> status = () -> "starting";

    Progress(String label, long periodMs) {
        this.label = label;
        timer.scheduleAtFixedRate(() -> print(status.get()), periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    /** Announces a phase and reports {@code status} until the next phase. */
    void phase(String name, Supplier<String> status) {
        this.status = () -> name + ": " + status.get();
        print(name);
    }

    void print(String line) {
        System.err.printf("[%s %6.1fs] %s%n", label, (System.nanoTime() - startNanos) / 1e9, line);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
