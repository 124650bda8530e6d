package dev.jobqueue.redis;

import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.Storage;
import dev.jobqueue.spi.TransitionOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Storage-level worker and reaper threads for fault tests (claim a batch, complete each job,
 * requeue expired leases), recording every error instead of dying, so a test can assert that no
 * thread died and that nothing surfaced.
 */
final class WorkerLoops implements AutoCloseable {
    final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
    final AtomicInteger completed = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads;

    WorkerLoops(Storage storage, String queue, int workers, Duration lease) {
        java.util.ArrayList<Thread> all = new java.util.ArrayList<>();
        for (int i = 0; i < workers; i++) {
            String worker = "w" + i;
            all.add(new Thread(() -> work(storage, queue, worker, lease), "worker-" + i));
        }
        all.add(new Thread(() -> reap(storage, queue), "reaper"));
        this.threads = List.copyOf(all);
        threads.forEach(Thread::start);
    }

    private void work(Storage storage, String queue, String worker, Duration lease) {
        while (running.get()) {
            try {
                List<ClaimedJob> jobs = storage.claim(queue, worker, 16, lease, Duration.ofMillis(500));
                for (ClaimedJob job : jobs) {
                    TransitionOutcome o = storage.complete(queue, new LeaseRef(job.id(), job.fencingToken()),
                            ("done " + job.id()).getBytes(StandardCharsets.UTF_8), null);
                    if (o == TransitionOutcome.APPLIED) {
                        completed.incrementAndGet();
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (Throwable t) {
                errors.add(t);
            }
        }
    }

    private void reap(Storage storage, String queue) {
        while (running.get()) {
            try {
                storage.requeueExpired(queue, 1000);
                Thread.sleep(200); // the reaper's scan interval
            } catch (InterruptedException e) {
                return;
            } catch (Throwable t) {
                errors.add(t);
            }
        }
    }

    boolean allAlive() {
        return threads.stream().allMatch(Thread::isAlive);
    }

    @Override
    public void close() {
        running.set(false);
        try {
            for (Thread t : threads) {
                t.join(10_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
