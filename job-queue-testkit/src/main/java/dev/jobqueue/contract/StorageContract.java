package dev.jobqueue.contract;

import dev.jobqueue.spi.CheckedStorage;
import dev.jobqueue.spi.Storage;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The storage contract: what every {@link Storage} must do, as example-based tests. A storage
 * module runs all of it by extending this class, in test scope:
 *
 * <!-- snippet: storage-contract -->
 * <pre>{@code
 * class FileStorageContractTest extends StorageContract {
 *     private Path dir;
 *
 *     protected Storage createStorage(Clock clock) {
 *         try {
 *             dir = Files.createTempDirectory("contract");
 *         } catch (IOException e) {
 *             throw new UncheckedIOException(e);
 *         }
 *         return FileStorage.open(dir, FileStorageOptions.builder().clock(clock).build());
 *     }
 *
 *     protected void destroyStorage(Storage s) {   // optional; the default only closes it
 *         s.close();
 *         deleteRecursively(dir);
 *     }
 * }
 * }</pre>
 *
 * <p>Each test gets a fresh storage on a {@link ManualClock} ({@link #clock}) and a fresh random
 * queue name ({@link #queue}), so persistent storages never see another test's keys. Time-based
 * behaviour is driven only by advancing the clock; nothing sleeps (only the concurrency tests'
 * threads pace themselves, and a ticker thread moves the clock under the concurrent rate-limit
 * test). The tests talk to the storage through {@link CheckedStorage}, as the library does, so
 * the storage itself may assume valid arguments; {@link #destroyStorage} gets the storage
 * {@link #createStorage} returned.
 *
 * <p>The tests are grouped by operation, one interface each, all on the shared
 * {@link StorageFixture}: {@link EnqueueContract} (enqueue, dedup), {@link ClaimContract} (claim,
 * extend, fencing), {@link OutcomeContract} (complete, completeAll, fail, retry, release,
 * unclaim), {@link RequeueExpiredContract}, {@link CancelAndTtlContract} (cancel,
 * updateResultTtl), {@link InspectionContract} (counts, list), {@link SubscribeContract},
 * {@link LockContract}, {@link IdsAndNamespacesContract} (id rules, odd ids, namespaces, big
 * values), {@link ConcurrencyContract}, {@link ArgumentsContract} (every SPI method's argument
 * checks), {@link TransitionsContract} (the {@link dev.jobqueue.spi.JobTransitions} table), and
 * the operations API: {@link ListJobsContract} (listJobs orders and keyset paging),
 * {@link RepairContract} (retryJob, retryAll, deleteJob, purge, promote), {@link PauseContract}
 * (setPaused, isPaused) and {@link MetadataAndTimingContract} (metadata, readyAt, claimedAt,
 * startedAt, finishedAt), and the operator reads {@link QueueNamesAndTotalsContract} (queueNames,
 * finishedTotals); scheduling and flow control: {@link SnoozeContract} (snooze),
 * {@link CancelRunningContract} (cancel of PROCESSING jobs), {@link LimitsContract} (setLimits,
 * limits: maxRunning and the rate window), {@link ThrottleContract} (throttle) and
 * {@link ScheduleContract} (upsertSchedule, removeSchedule, listSchedules, dueSchedules,
 * advanceSchedule).
 * Test names start with the operation or topic they cover.
 *
 * <p>Rules the tests pin down, beyond the SPI Javadoc:
 * <ul>
 *   <li>Times have millisecond precision; a deadline (due time, lease, expiry, lock) at or before
 *       now has passed.</li>
 *   <li>Claim order is priority (higher first), then enqueue order. A job keeps its enqueue
 *       position when it is retried, released or requeued after a stall.</li>
 *   <li>DELAYED and FAILING jobs stay in their state until a claim on their queue (or
 *       {@code promote}) promotes them. An operator's {@code retryJob} or {@code promote} puts the
 *       job at the end of its priority's FIFO.</li>
 *   <li>A lease that ended but was not reaped yet is still current: its holder may extend or finish it.</li>
 *   <li>CANCELLED records are kept for the job's result TTL; cancelling one again answers
 *       CANCELLED; updateResultTtl on one answers NOT_TERMINAL.</li>
 *   <li>Fencing tokens only have to increase per job; two queues may hand out equal tokens.</li>
 *   <li>An interrupted waiting claim may return an empty list or throw InterruptedException.</li>
 *   <li>requeueExpired takes the oldest deadlines first; among equal deadlines the order is free.
 *       Listings of non-QUEUED states are ordered by time where one applies; ties are free for
 *       {@code list}, and for {@code listJobs} in one total order of the storage's choosing
 *       (NEWEST_FIRST its exact reverse, so cursors resume exactly).</li>
 *   <li>Times of the operations API (readyAt, claimedAt, startedAt, finishedAt) are the storage's
 *       clock, the {@link ManualClock} here, to the millisecond: asserted exactly.</li>
 *   <li>Terminal listeners may be called on another thread and later; tests wait for them. A
 *       storage may skip jobs enqueued with {@code notifyOnTerminal=false}, so tests set it.</li>
 * </ul>
 */
public abstract class StorageContract implements EnqueueContract, ClaimContract, OutcomeContract,
        RequeueExpiredContract, CancelAndTtlContract, InspectionContract, SubscribeContract, LockContract,
        IdsAndNamespacesContract, ConcurrencyContract, ArgumentsContract, TransitionsContract, ListJobsContract,
        RepairContract, PauseContract, MetadataAndTimingContract, QueueNamesAndTotalsContract, SnoozeContract,
        CancelRunningContract, LimitsContract, ThrottleContract, ScheduleContract {
    /** This test's clock; the storage's deadlines follow it. */
    protected ManualClock clock;
    /** The storage under test behind {@link CheckedStorage}: what the tests call. */
    protected Storage storage;
    /** This test's queue name. */
    protected String queue;
    private Storage created;

    /**
     * A new storage whose deadlines follow {@code clock}.
     *
     * @param clock the manual clock the tests advance
     * @return the storage; {@link #destroyStorage} releases it after the test
     */
    protected abstract Storage createStorage(Clock clock);

    /**
     * Releases the storage {@link #createStorage} returned and whatever it holds for this test (Redis: its keys).
     *
     * @param s the storage to release
     */
    protected void destroyStorage(Storage s) {
        s.close();
    }

    @BeforeEach
    void createStorageForTest() {
        clock = new ManualClock();
        queue = "q" + UUID.randomUUID();
        created = createStorage(clock);
        storage = CheckedStorage.of(created);
    }

    @AfterEach
    void destroyStorageAfterTest() {
        if (created != null) {
            destroyStorage(created);
        }
    }

    @Override
    public final Storage storage() {
        return storage;
    }

    @Override
    public final ManualClock clock() {
        return clock;
    }

    @Override
    public final String queue() {
        return queue;
    }
}
