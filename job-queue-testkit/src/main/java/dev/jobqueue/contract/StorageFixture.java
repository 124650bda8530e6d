package dev.jobqueue.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jobqueue.JobError;
import dev.jobqueue.JobState;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.Storage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What every part of the storage contract works on: the storage under test, its
 * {@link ManualClock} and a queue name of the test's own, plus the small helpers the tests share.
 * {@link StorageContract} provides them (a fresh storage and queue per test); a storage that wants
 * to run only some parts of the contract can implement this interface itself and the part
 * interfaces it wants:
 *
 * <!-- snippet: storage-fixture -->
 * <pre>{@code
 * class MyStorageClaimTest implements ClaimContract, OutcomeContract {
 *     private final ManualClock clock = new ManualClock();
 *     private final Storage storage = CheckedStorage.of(new MyStorage(clock));
 *     private final String queue = "q" + UUID.randomUUID();
 *
 *     public Storage storage() { return storage; }
 *     public ManualClock clock() { return clock; }
 *     public String queue() { return queue; }
 * }
 * }</pre>
 *
 * JUnit creates a new test instance per test method, so fields initialised as above are fresh
 * for every test.
 */
public interface StorageFixture {
    /** The lease the helpers claim with. */
    Duration LEASE = Duration.ofSeconds(30);
    /** The result TTL of jobs built by {@link TestJobs}. */
    Duration TTL = TestJobs.DEFAULT_TTL;
    /** Generous deadline for conditions reached by other threads (never a timing assertion). */
    Duration PATIENCE = Duration.ofSeconds(30);

    /**
     * The storage under test, as the library sees it: wrapped in {@link dev.jobqueue.spi.CheckedStorage}.
     *
     * @return the checked storage
     */
    Storage storage();

    /**
     * The clock the storage's deadlines follow; tests advance it instead of sleeping.
     *
     * @return the manual clock
     */
    ManualClock clock();

    /**
     * A queue name no other test uses, so persistent storages never see another test's jobs.
     *
     * @return this test's queue name
     */
    String queue();

    /**
     * Claims up to {@code max} due jobs as worker "w" without waiting.
     *
     * @param max the most jobs to claim
     * @return the claimed jobs, possibly none
     * @throws InterruptedException never in practice: the claim does not wait
     */
    default List<ClaimedJob> claimNow(int max) throws InterruptedException {
        return storage().claim(queue(), "w", max, LEASE, Duration.ZERO);
    }

    /**
     * Claims exactly one job as worker "w", failing when none is due.
     *
     * @return the claimed job
     * @throws InterruptedException never in practice: the claim does not wait
     */
    default ClaimedJob claimOne() throws InterruptedException {
        List<ClaimedJob> got = claimNow(1);
        assertEquals(1, got.size(), "expected one claimable job");
        return got.get(0);
    }

    /**
     * The job's record, failing when it does not exist.
     *
     * @param id the job's id in {@link #queue()}
     * @return the stored record
     */
    default JobSnapshot status(String id) {
        Optional<JobSnapshot> s = storage().status(queue(), id);
        assertTrue(s.isPresent(), "no status for " + id);
        return s.get();
    }

    /**
     * The job's state, or {@code null} when it does not exist.
     *
     * @param id the job's id in {@link #queue()}
     * @return the stored state
     */
    default JobState state(String id) {
        return storage().status(queue(), id).map(JobSnapshot::state).orElse(null);
    }

    /**
     * The lease reference that completes, fails or extends a claim.
     *
     * @param c a claimed job
     * @return its id and fencing token
     */
    default LeaseRef lease(ClaimedJob c) {
        return new LeaseRef(c.id(), c.fencingToken());
    }

    /**
     * {@link #lease} of each claimed job.
     *
     * @param claimed claimed jobs
     * @return their lease references, in the same order
     */
    default List<LeaseRef> leases(List<ClaimedJob> claimed) {
        return claimed.stream().map(this::lease).collect(Collectors.toList());
    }

    /**
     * The ids of claimed jobs, to compare claim order.
     *
     * @param claimed claimed jobs
     * @return their ids, in the same order
     */
    default List<String> ids(List<ClaimedJob> claimed) {
        return claimed.stream().map(ClaimedJob::id).collect(Collectors.toList());
    }

    /**
     * Payload or result bytes from text.
     *
     * @param s the text
     * @return its UTF-8 bytes
     */
    default byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Text from payload or result bytes.
     *
     * @param b UTF-8 bytes
     * @return the decoded text
     */
    default String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /**
     * A handler error with every field set, failed at the clock's now.
     *
     * @param message the error message; the stack trace is derived from it
     * @return the error
     */
    default JobError error(String message) {
        return new JobError("java.lang.RuntimeException", message, "trace of " + message, null, 1, clock().instant());
    }

    /**
     * Polls {@code condition} until it holds, failing after {@link #PATIENCE}.
     *
     * @param condition polled every 5 ms
     * @param what describes the condition in the failure message
     * @throws InterruptedException when the test thread is interrupted while polling
     */
    default void awaitCondition(BooleanSupplier condition, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what.get());
            }
            Thread.sleep(5);
        }
    }

    /**
     * Waits (bounded) until the thread is parked in a wait, so the next step happens while it
     * blocks. A storage that blocks in a socket read never parks; after a short while the test
     * goes on anyway, which is still correct, only less pointed.
      *
      * @param thread gives the waiting thread once it has started ({@code null} before)
      * @throws InterruptedException when the test thread is interrupted while polling
     */
    default void awaitParked(Supplier<Thread> thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < deadline) {
            Thread t = thread.get();
            if (t != null && (t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING)) {
                return;
            }
            Thread.sleep(5);
        }
        assertNotNull(thread.get(), "claiming thread never started");
    }

    /**
     * A claim blocked on an empty queue returns {@code id} once {@code enqueue} (run on this thread) adds it.
     *
     * @param id the job the waiting claim must return
     * @param enqueue the step that makes the job claimable
     * @throws Exception when {@code enqueue} or the claim throws
     */
    default void assertWaitingClaimGets(String id, ThrowingRunnable enqueue) throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            AtomicReference<Thread> claimer = new AtomicReference<>();
            Future<List<ClaimedJob>> waiting = pool.submit(() -> {
                claimer.set(Thread.currentThread());
                return storage().claim(queue(), "w", 1, LEASE, Duration.ofSeconds(60));
            });
            awaitParked(claimer::get);
            enqueue.run();
            List<ClaimedJob> got = waiting.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertEquals(List.of(id), ids(got));
        } finally {
            pool.shutdownNow();
        }
    }

    /** A test step that may throw. */
    @FunctionalInterface
    interface ThrowingRunnable {
        /**
         * Runs the step.
         *
         * @throws Exception whatever the step throws, failing the test
         */
        void run() throws Exception;
    }
}
