package dev.jobqueue.snippets;

import dev.jobqueue.spi.FinishedTotals;
import dev.jobqueue.spi.Storage;

/**
 * The examples in the Javadoc of the dashboard module and of the operator reads of the storage
 * SPI (queueNames, finishedTotals): compiled, never run.
 */
@SuppressWarnings("unused")
abstract class DashboardSnippets {
    Storage storage;

    void finishedTotals() throws InterruptedException {
        // snippet: spi-finished-totals
        FinishedTotals before = storage.finishedTotals("emails");
        Thread.sleep(10_000);
        FinishedTotals after = storage.finishedTotals("emails");
        long completedPer10s = after.completed() - before.completed(); // negative after a reset: start over
        // end-snippet
    }

    void queueNamesContract() {
        // snippet: queue-names-contract
        for (String name : storage.queueNames()) {          // every queue with a job or a pause flag
            FinishedTotals t = storage.finishedTotals(name); // monotonic: COMPLETED and FAILED so far
            System.out.println(name + ": " + t.completed() + " completed, " + t.failed() + " failed");
        }
        // end-snippet
    }
}
