package dev.jobqueue.contract;

import org.junit.jupiter.api.Test;

/**
 * The storage makes exactly the state changes of {@link dev.jobqueue.spi.JobTransitions}: every
 * operation applied to a job in every state (and to no job) changes it only as the table allows,
 * and every row of the table happens.
 *
 * <pre>{@code
 * class MyStorageTransitionsTest extends StorageContract { ... } // runs it with the rest of the contract
 * }</pre>
 */
public interface TransitionsContract extends StorageFixture {
    @Test
    default void transitions_everyOperationInEveryStateChangesOnlyWhatTheTableAllows() throws Exception {
        new TransitionProbe(this).run();
    }
}
