package dev.jobqueue.snippets;

import dev.jobqueue.contract.ApiSignature;
import dev.jobqueue.contract.ManualClock;
import dev.jobqueue.contract.QueueBehaviourContract;
import dev.jobqueue.contract.ReferenceModel;
import dev.jobqueue.contract.SchedulesBehaviourContract;
import dev.jobqueue.contract.SnapshotAssertions;
import dev.jobqueue.contract.StorageContract;
import dev.jobqueue.contract.StorageStatefulProperties;
import dev.jobqueue.contract.TestJobs;
import dev.jobqueue.file.FileStorage;
import dev.jobqueue.memory.MemoryStorage;
import dev.jobqueue.spi.EnqueueOutcome;
import dev.jobqueue.spi.NewJob;
import dev.jobqueue.spi.Storage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The examples in the Javadoc of job-queue-testkit: compiled, never run (nested classes are not
 * picked up by Surefire).
 */
@SuppressWarnings("unused")
abstract class TestkitSnippets {
    NewJob job;
    Clock clock;
    ReferenceModel model;
    Storage storage;
    String queue;
    String q;
    String id;
    Path dir;
    Path tempDir;
    String redisUrl;

    // snippet: api-signature-test
    class FileApiSignatureTest {
        @Test
        void publicApiMatchesTheCheckedInSignature() {
            ApiSignature.of(FileStorage.class, "dev.jobqueue.file")
                    .assertMatches(ApiSignature.moduleFile("job-queue-file"));
        }
    }
    // end-snippet

    void manualClock() {
        // snippet: manual-clock
        ManualClock clock = new ManualClock();
        Storage storage = new MemoryStorage(clock);
        storage.enqueue("q", job);            // delayed by 10 s
        clock.advance(Duration.ofSeconds(10)); // now it is due
        // end-snippet
    }

    void referenceModel() {
        // snippet: reference-model
        ReferenceModel model = new ReferenceModel(clock);
        EnqueueOutcome expected = model.enqueue(job);
        // end-snippet
    }

    void snapshotAssertions() {
        // snippet: snapshot-assertions
        SnapshotAssertions.assertSameRecord(model.status(id).orElseThrow(), storage.status(q, id).orElseThrow(), "after claim");
        // end-snippet
    }

    void testJobs() {
        // snippet: test-jobs
        storage.enqueue(queue, TestJobs.job("a").priority(5).delay(Duration.ofSeconds(10)).build());
        // end-snippet
    }

    // snippet: contract-package
    class MyStorageContractTest extends StorageContract {                // about 220 example-based tests
        protected Storage createStorage(Clock clock) { return MyStorage.open(clock); }
    }

    class MyStorageStatefulProperties extends StorageStatefulProperties { // random sequences against the model
        protected Storage createStorage(Clock clock) { return MyStorage.open(clock); }
    }

    class MyStorageQueueTest extends QueueBehaviourContract {            // Queue end to end on the storage
        protected Storage createStorage(Clock clock) { return MyStorage.open(clock); }
    }
    // end-snippet

    // snippet: queue-contract-support
    class MyStorageSchedulesTest extends SchedulesBehaviourContract {
        @Override
        protected Storage createStorage(Clock clock) {
            return MyStorage.open(clock);
        }
    }
    // end-snippet
}
