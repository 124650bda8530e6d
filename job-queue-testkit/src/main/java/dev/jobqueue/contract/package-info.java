/**
 * The storage test kit: the contract suites every {@link dev.jobqueue.spi.Storage} passes, the
 * {@link dev.jobqueue.contract.ReferenceModel} they compare against, {@link dev.jobqueue.contract.ManualClock}
 * and small test helpers. A storage, the built-in ones and a third party's alike, runs the same
 * suites by adding this one dependency in test scope (it brings JUnit 5 and jqwik with it):
 *
 * <pre>
 * &lt;dependency&gt;
 *   &lt;groupId&gt;dev.jobqueue&lt;/groupId&gt;
 *   &lt;artifactId&gt;job-queue-testkit&lt;/artifactId&gt;
 *   &lt;version&gt;${job-queue.version}&lt;/version&gt;
 *   &lt;scope&gt;test&lt;/scope&gt;
 * &lt;/dependency&gt;
 * </pre>
 *
 * and one small subclass per suite:
 *
 * <!-- snippet: contract-package -->
 * <pre>{@code
 * class MyStorageContractTest extends StorageContract {                // about 220 example-based tests
 *     protected Storage createStorage(Clock clock) { return MyStorage.open(clock); }
 * }
 *
 * class MyStorageStatefulProperties extends StorageStatefulProperties { // random sequences against the model
 *     protected Storage createStorage(Clock clock) { return MyStorage.open(clock); }
 * }
 *
 * class MyStorageQueueTest extends QueueBehaviourContract {            // Queue end to end on the storage
 *     protected Storage createStorage(Clock clock) { return MyStorage.open(clock); }
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@link dev.jobqueue.contract.StorageContract}: example-based tests, grouped by operation
 *       in interfaces on {@link dev.jobqueue.contract.StorageFixture} (a storage may also run only
 *       some groups), including every SPI method's argument checks and the
 *       {@link dev.jobqueue.spi.JobTransitions} table.</li>
 *   <li>{@link dev.jobqueue.contract.StorageStatefulProperties}: random operation sequences run
 *       against the storage and the reference model, compared after every step.</li>
 *   <li>{@link dev.jobqueue.contract.QueueBehaviourContract} and
 *       {@link dev.jobqueue.contract.ReaperBehaviourContract}: the {@link dev.jobqueue.Queue} and
 *       {@link dev.jobqueue.Reaper} on the storage.</li>
 * </ul>
 *
 * <p>Scheduling and flow control, the rules the contract pins down beyond the SPI Javadoc:
 * <ul>
 *   <li>{@link dev.jobqueue.contract.SnoozeContract}: {@code snooze} always makes the job DELAYED,
 *       due {@code delay} from now (a zero delay: DELAYED, due now, promoted by the next claim),
 *       with the claim's attempt taken back, error and stall count as the running record had
 *       them, and the old token fenced for every operation, also after the job was claimed again.</li>
 *   <li>{@link dev.jobqueue.contract.CancelRunningContract}: {@code cancel} of a PROCESSING job
 *       answers CANCELLED and leaves the same CANCELLED record as for a waiting job (kept for the
 *       result TTL, finishedAt now, the attempt that ran counted, no worker or lease); the old token
 *       answers LEASE_LOST everywhere, the reaper never returns the job, subscribers hear of it
 *       whatever its {@code notifyOnTerminal}, finishedTotals do not change, and a cancel racing
 *       the worker's complete has exactly one winner.</li>
 *   <li>{@link dev.jobqueue.contract.LimitsContract}: {@code limits} returns what was set (equal
 *       records), {@code NONE} for a queue never set. {@code maxRunning} counts the queue's
 *       PROCESSING jobs; every way a job stops running frees its slot. The rate window is the
 *       half-open interval (now - ratePeriod, now] of the claims' {@code claimedAt}: a slot comes
 *       back exactly one period after the claim that used it, and no window of ratePeriod holds more
 *       than {@code rateLimit} claims. A claim held back by a limit waits within its maxWait and
 *       takes a job once a slot frees without any enqueue: the tests move the ManualClock while a
 *       claim waits, so a storage must look again on a short timer (at most every 250 ms), not
 *       only when woken.</li>
 *   <li>{@link dev.jobqueue.contract.ThrottleContract}: a claim at or after the throttle's end
 *       takes jobs, one before it takes nothing (and, like a paused queue's, may wait); the end is
 *       {@code max(old end, now + duration)}; a claim waiting through the end takes the job
 *       without a wake-up (the same short re-check).</li>
 *   <li>{@link dev.jobqueue.contract.ScheduleContract}: definitions byte for byte (the empty one,
 *       any byte value, 64 KiB); an upsert of a byte-equal definition returns the stored record
 *       unchanged; ids are names like job ids (odd characters, 1,024 chars) and
 *       {@code listSchedules} sorts them by {@link java.lang.String#compareTo} (UTF-16 code units,
 *       not UTF-8 bytes or a collation); {@code dueSchedules} takes {@code nextFireAt <= now},
 *       earliest first, ties in any order; fire times are kept to the millisecond; a removed
 *       schedule upserted again starts at version 1; of concurrent advances of one version exactly
 *       one answers true.</li>
 * </ul>
 * The stateful test models snooze, cancel of running jobs and the schedule operations too.
 *
 * The storage suites drive time with a {@link dev.jobqueue.contract.ManualClock}, so the storage
 * must take its deadlines from the {@link java.time.Clock} it is given. They call the storage
 * through {@link dev.jobqueue.spi.CheckedStorage}, as the library does, so a storage may assume
 * valid arguments. This module's own {@code MemoryStorageContractTest} is the smallest example.
 */
package dev.jobqueue.contract;
