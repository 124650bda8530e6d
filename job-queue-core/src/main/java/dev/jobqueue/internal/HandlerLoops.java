package dev.jobqueue.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The {@code concurrency} handler loops of a worker, each one worker slot: on the queue's own
 * platform threads (default), on virtual threads ({@code virtualThreads(true)}, Java 21+), or as
 * long-lived tasks of the application's executor (which the queue never shuts down). Whatever
 * runs them, a loop ends only when the worker stops, so an executor must be able to run
 * {@code concurrency} tasks of this queue at once.
 */
final class HandlerLoops {
    private final QueueSettings<?, ?> s;
    private final Runnable loop;
    private final CountDownLatch ended;
    private final Set<Thread> running = ConcurrentHashMap.newKeySet();

    HandlerLoops(QueueSettings<?, ?> settings, Runnable loop) {
        this.s = settings;
        this.loop = loop;
        this.ended = new CountDownLatch(settings.concurrency());
    }

    /** Starts the loops; throws (after interrupting those started) when the threads or executor refuse. */
    void start() {
        String prefix = "jobqueue-" + s.name() + "-handler";
        Executor executor = s.executor();
        ThreadFactory threads = executor != null ? null
                : s.virtualThreads() ? VirtualThreads.factory(prefix) : new NamedThreads(prefix);
        for (int i = 0; i < s.concurrency(); i++) {
            Runnable task = this::runLoop;
            try {
                if (executor != null) {
                    executor.execute(task);
                } else {
                    threads.newThread(task).start();
                }
            } catch (RuntimeException | Error e) {
                for (int j = i; j < s.concurrency(); j++) {
                    ended.countDown(); // never started
                }
                throw e;
            }
        }
    }

    private void runLoop() {
        Thread me = Thread.currentThread();
        running.add(me);
        try {
            loop.run();
        } finally {
            running.remove(me);
            ended.countDown();
        }
    }

    /** Waits until every loop ended or the deadline passed; true when all ended. */
    boolean awaitEnd(long deadlineNanos) throws InterruptedException {
        long left = deadlineNanos - System.nanoTime();
        return ended.await(Math.max(0, left), TimeUnit.NANOSECONDS);
    }

    void interruptAll() {
        running.forEach(Thread::interrupt);
    }
}
