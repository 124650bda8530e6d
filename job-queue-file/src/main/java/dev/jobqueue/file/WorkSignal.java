package dev.jobqueue.file;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes claimers of one queue that found nothing: as many as new jobs arrived (not all of them,
 * so 64 idle workers do not stampede for one job). A generation number closes the gap between
 * "claim found nothing" and "start waiting".
 */
final class WorkSignal {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private long generation;

    long generation() {
        lock.lock();
        try {
            return generation;
        } finally {
            lock.unlock();
        }
    }

    void signal(int jobs) {
        lock.lock();
        try {
            generation++;
            for (int i = 0; i < jobs; i++) {
                arrived.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    void signalAll() {
        lock.lock();
        try {
            generation++;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the generation moves past {@code seen} or {@code nanos} pass. */
    void await(long seen, long nanos) throws InterruptedException {
        lock.lock();
        try {
            long remaining = nanos;
            while (generation == seen && remaining > 0) {
                remaining = arrived.awaitNanos(remaining);
            }
        } finally {
            lock.unlock();
        }
    }
}
