package dev.jobqueue.contract;

import dev.jobqueue.JobState;
import dev.jobqueue.spi.JobTransitions;
import dev.jobqueue.spi.JobTransitions.Operation;

/** Checks observed state changes against {@link JobTransitions}, also when one step makes several. */
final class TransitionChecks {
    private TransitionChecks() {
    }

    /**
     * True when a job seen in {@code from} before a step and in {@code to} after it ({@code null}:
     * no record) moved as the table allows: not at all, or by {@code operations} applied in this
     * order, each at most once (a claim promotes a due job, then claims it).
     */
    static boolean allowed(JobState from, JobState to, Operation... operations) {
        return from == to || reachable(from, to, operations, 0);
    }

    private static boolean reachable(JobState from, JobState to, Operation[] operations, int next) {
        for (int i = next; i < operations.length; i++) {
            for (JobTransitions.Transition t : JobTransitions.all()) {
                if (t.operation() == operations[i] && t.from() == from
                        && (t.to() == to || reachable(t.to(), to, operations, i + 1))) {
                    return true;
                }
            }
        }
        return false;
    }
}
