package dev.jobqueue.contract;

import org.junit.jupiter.api.Test;

/**
 * The storage makes exactly the state changes of {@link dev.jobqueue.spi.JobTransitions}: every
 * operation applied to a job in every state (and to no job) changes it only as the table allows,
 * and every row of the table happens.
 *
 * <!-- snippet: transitions-contract -->
 * <pre>{@code
 * // runs with the rest of StorageContract, or on its own on any StorageFixture:
 * class MyStorageTransitionsTest implements TransitionsContract {
 *     private final ManualClock clock = new ManualClock();
 *     private final Storage storage = CheckedStorage.of(new MyStorage(clock)); // one per test
 *     public Storage storage() { return storage; }
 *     public ManualClock clock() { return clock; }
 *     public String queue() { return "transitions"; }
 * }
 * }</pre>
 */
public interface TransitionsContract extends StorageFixture {
    /**
     * Transitions: every operation in every state changes only what the table allows.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void transitions_everyOperationInEveryStateChangesOnlyWhatTheTableAllows() throws Exception {
        new TransitionProbe(this).run();
    }
}
