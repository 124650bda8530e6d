package dev.jobqueue.contract;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jobqueue.Queue;
import dev.jobqueue.spi.Storage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;

/**
 * What the queue-level contracts ({@link QueueBehaviourContract}, {@link ExecutionControlContract},
 * {@link SchedulesBehaviourContract}, {@link BatchHandlerBehaviourContract}) share: the storage
 * factory a storage implements once per contract, and the clean-up after each test (queues stopped
 * newest first, then every storage closed), so a test never leaks a running queue into the next.
 *
 * <!-- snippet: queue-contract-support -->
 * <pre>{@code
 * class MyStorageSchedulesTest extends SchedulesBehaviourContract {
 *     @Override
 *     protected Storage createStorage(Clock clock) {
 *         return MyStorage.open(clock);
 *     }
 * }
 * }</pre>
 */
public abstract class QueueContractSupport {
    private final List<Queue<?, ?>> queues = new CopyOnWriteArrayList<>();
    private final List<Storage> storages = new CopyOnWriteArrayList<>();

    /** For subclasses. */
    protected QueueContractSupport() {
    }

    /**
     * A fresh, empty storage whose time comes from {@code clock} where the storage allows it.
     *
     * @param clock the clock the test controls; a storage that keeps its own time may ignore it
     * @return the storage; the contract closes it after the test
     */
    protected abstract Storage createStorage(Clock clock);

    /**
     * False for storages that keep their own time (e.g. a server's clock): ManualClock tests are skipped.
     *
     * @return whether the storage reads time from the clock given to {@link #createStorage}
     */
    protected boolean storageFollowsGivenClock() {
        return true;
    }

    /**
     * Creates a storage that is closed after the test.
     *
     * @param clock the clock to give {@link #createStorage}
     * @return the storage
     */
    protected Storage newStorage(Clock clock) {
        Storage s = createStorage(clock);
        storages.add(s);
        return s;
    }

    /**
     * Registers a queue to stop after the test.
     *
     * @param queue the queue
     * @param <Q> its type
     * @return {@code queue}
     */
    protected <Q extends Queue<?, ?>> Q track(Q queue) {
        queues.add(queue);
        return queue;
    }

    /**
     * A manual clock at 2026-01-01T00:00:00Z; skips the test when the storage keeps its own time.
     *
     * @return the clock
     */
    protected ManualClock manualClock() {
        assumeTrue(storageFollowsGivenClock(), "storage keeps its own time");
        return new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    }

    /** Runs after the queues stopped and before the storages close (e.g. to shut executors down). */
    protected void afterQueuesStopped() {
    }

    @AfterEach
    final void stopQueuesAndCloseStorages() {
        List<Queue<?, ?>> reversed = new ArrayList<>(queues);
        Collections.reverse(reversed);
        for (Queue<?, ?> q : reversed) {
            q.stop(Duration.ZERO);
        }
        afterQueuesStopped();
        for (Storage s : storages) {
            s.close();
        }
    }
}
