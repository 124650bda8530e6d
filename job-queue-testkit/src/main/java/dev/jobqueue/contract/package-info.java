/**
 * The storage contract suite, shipped in job-queue-core's test-jar: every {@link dev.jobqueue.spi.Storage}
 * runs {@link dev.jobqueue.contract.StorageContract} (example-based) and
 * {@link dev.jobqueue.contract.StorageStatefulProperties} (random operation sequences against
 * {@link dev.jobqueue.contract.ReferenceModel}), both on a {@link dev.jobqueue.contract.ManualClock}.
 *
 * <!-- snippet: contract-package -->
 * <pre>{@code
 * class FileStorageContractTest extends StorageContract {
 *     protected Storage createStorage(Clock clock) {
 *         return FileStorage.open(tempDir, FileStorageOptions.builder().clock(clock).build());
 *     }
 * }
 * }</pre>
 */
package dev.jobqueue.contract;
