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
 * class MyStorageContractTest extends StorageContract {                // about 130 example-based tests
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
 * The storage suites drive time with a {@link dev.jobqueue.contract.ManualClock}, so the storage
 * must take its deadlines from the {@link java.time.Clock} it is given. They call the storage
 * through {@link dev.jobqueue.spi.CheckedStorage}, as the library does, so a storage may assume
 * valid arguments. This module's own {@code MemoryStorageContractTest} is the smallest example.
 */
package dev.jobqueue.contract;
