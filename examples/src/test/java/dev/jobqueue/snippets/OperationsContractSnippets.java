package dev.jobqueue.snippets;

import dev.jobqueue.JobState;
import dev.jobqueue.ListOrder;
import dev.jobqueue.contract.TestJobs;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.SnapshotPage;
import dev.jobqueue.spi.Storage;
import java.time.Duration;
import java.util.Map;

/**
 * The examples in the Javadoc of the operations contracts (ListJobsContract, RepairContract,
 * PauseContract, MetadataAndTimingContract): compiled, never run.
 */
@SuppressWarnings("unused")
abstract class OperationsContractSnippets {
    Storage storage;
    String queue;
    Duration lease;

    void listJobsContract() {
        // snippet: list-jobs-contract
        SnapshotPage page = storage.listJobs(queue, JobState.FAILED, ListOrder.NEWEST_FIRST, null, 50);
        SnapshotPage next = storage.listJobs(queue, JobState.FAILED, ListOrder.NEWEST_FIRST, page.nextCursor(), 50);
        // end-snippet
    }

    void repairContract() {
        // snippet: repair-contract
        storage.retryJob(queue, "invoice-9"); // RETRIED, NOT_FOUND or NOT_RETRYABLE
        int purged = storage.purge(queue, JobState.COMPLETED, 500); // at most 500 per call
        // end-snippet
    }

    void pauseContract() throws InterruptedException {
        // snippet: pause-contract
        storage.setPaused(queue, true);   // true: the flag changed
        storage.claim(queue, "w", 10, lease, Duration.ZERO); // [] while paused
        storage.setPaused(queue, false);  // blocked claims wake up
        // end-snippet
    }

    void metadataAndTimingContract() throws InterruptedException {
        // snippet: metadata-and-timing-contract
        storage.enqueue(queue, TestJobs.job("a").metadata(Map.of("tenant", "acme")).build());
        ClaimedJob claimed = storage.claim(queue, "w", 1, lease, Duration.ZERO).get(0);
        Duration waited = Duration.between(claimed.readyAt(), claimed.claimedAt());
        // end-snippet
    }
}
