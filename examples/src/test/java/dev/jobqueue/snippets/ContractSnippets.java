package dev.jobqueue.snippets;

import dev.jobqueue.JobState;
import dev.jobqueue.contract.ClaimContract;
import dev.jobqueue.contract.ManualClock;
import dev.jobqueue.contract.OutcomeContract;
import dev.jobqueue.contract.StorageContract;
import dev.jobqueue.contract.StorageStatefulProperties;
import dev.jobqueue.contract.TestJobs;
import dev.jobqueue.contract.TransitionsContract;
import dev.jobqueue.file.FileStorage;
import dev.jobqueue.file.FileStorageOptions;
import dev.jobqueue.spi.CheckedStorage;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.StalledJob;
import dev.jobqueue.spi.Storage;
import dev.jobqueue.spi.Subscription;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The examples in the Javadoc of the storage contract (StorageContract, StorageStatefulProperties,
 * StorageFixture and the part interfaces): compiled, never run (nested classes are not picked up
 * by Surefire).
 */
@SuppressWarnings("unused")
abstract class ContractSnippets {
    Storage storage;
    String queue;
    ManualClock clock;
    Duration lease;
    ClaimedJob c;
    byte[] result;
    String owner;
    Set<String> done;

    abstract void deleteRecursively(Path dir);

    // snippet: storage-contract
    class FileStorageContractTest extends StorageContract {
        private Path dir;

        protected Storage createStorage(Clock clock) {
            try {
                dir = Files.createTempDirectory("contract");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return FileStorage.open(dir, FileStorageOptions.builder().clock(clock).build());
        }

        protected void destroyStorage(Storage s) {   // optional; the default only closes it
            s.close();
            deleteRecursively(dir);
        }
    }
    // end-snippet

    // snippet: storage-stateful-properties
    class MyStorageStatefulProperties extends StorageStatefulProperties {
        private final Map<Storage, Path> dirs = new ConcurrentHashMap<>();

        protected Storage createStorage(Clock clock) {
            try {
                return open(Files.createTempDirectory("stateful"), clock);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        protected Storage reopen(Storage s, Clock clock) {   // optional: default no restart
            s.close();
            return open(dirs.remove(s), clock);
        }

        private Storage open(Path dir, Clock clock) {
            Storage s = FileStorage.open(dir, FileStorageOptions.builder().clock(clock).build());
            dirs.put(s, dir);
            return s;
        }
    }
    // end-snippet

    // snippet: storage-fixture
    class MyStorageClaimTest implements ClaimContract, OutcomeContract {
        private final ManualClock clock = new ManualClock();
        private final Storage storage = CheckedStorage.of(new MyStorage(clock));
        private final String queue = "q" + UUID.randomUUID();

        public Storage storage() { return storage; }
        public ManualClock clock() { return clock; }
        public String queue() { return queue; }
    }
    // end-snippet

    // snippet: transitions-contract
    // runs with the rest of StorageContract, or on its own on any StorageFixture:
    class MyStorageTransitionsTest implements TransitionsContract {
        private final ManualClock clock = new ManualClock();
        private final Storage storage = CheckedStorage.of(new MyStorage(clock)); // one per test
        public Storage storage() { return storage; }
        public ManualClock clock() { return clock; }
        public String queue() { return "transitions"; }
    }
    // end-snippet

    void argumentsContract() {
        // snippet: arguments-contract
        storage.list(queue, JobState.QUEUED, 0); // IllegalArgumentException: limit must be >= 1, got 0
        // end-snippet
    }

    void cancelAndTtlContract() {
        // snippet: cancel-and-ttl-contract
        storage.cancel(queue, "a");                                 // CANCELLED, or the state that kept it
        storage.updateResultTtl(queue, "done", Duration.ofMinutes(5)); // UPDATED, NOT_TERMINAL or NOT_FOUND
        // end-snippet
    }

    void claimContract() throws InterruptedException {
        // snippet: claim-contract
        ClaimedJob c = storage.claim(queue, "w", 1, Duration.ofSeconds(30), Duration.ZERO).get(0);
        storage.extend(queue, List.of(new LeaseRef(c.id(), c.fencingToken())), Duration.ofSeconds(30)); // [] : none lost
        // end-snippet
    }

    void concurrencyContract() {
        // snippet: concurrency-contract
        // sixteen threads enqueue "same": exactly one is told created
        // end-snippet
    }

    void enqueueContract() {
        // snippet: enqueue-contract
        storage.enqueue(queue, TestJobs.job("a").priority(5).build()); // created
        storage.enqueue(queue, TestJobs.job("a").build());             // duplicate: answers the existing record
        // end-snippet
    }

    void idsAndNamespacesContract() {
        // snippet: ids-and-namespaces-contract
        storage.enqueue("a", TestJobs.job("../../etc/passwd").build()); // just an id
        storage.enqueue("b", TestJobs.job("../../etc/passwd").build()); // another job: queues are namespaces
        // end-snippet
    }

    void inspectionContract() {
        // snippet: inspection-contract
        Map<JobState, Long> counts = storage.counts(queue);
        List<String> next = storage.list(queue, JobState.QUEUED, 10); // in claim order
        // end-snippet
    }

    void lockContract() {
        // snippet: lock-contract
        boolean leader = storage.acquireLock(queue, "reaper", owner, Duration.ofSeconds(10));
        // end-snippet
    }

    void outcomeContract() {
        // snippet: outcome-contract
        storage.complete(queue, new LeaseRef(c.id(), c.fencingToken()), result, null); // APPLIED, or LEASE_LOST
        // end-snippet
    }

    void requeueExpiredContract() {
        // snippet: requeue-expired-contract
        clock.advance(lease);
        List<StalledJob> stalled = storage.requeueExpired(queue, 100);
        // end-snippet
    }

    @SuppressWarnings("try")
    void subscribeContract() {
        // snippet: subscribe-contract
        try (Subscription s = storage.subscribe(queue, (jobId, snapshot) -> done.add(jobId))) {
            // ... jobs of queue end: done gets their ids
        }
        // end-snippet
    }
}
