package dev.jobqueue.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobqueue.JobState;
import dev.jobqueue.Queue;
import dev.jobqueue.RetryResult;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code retry <id>} or {@code retry --all-failed}: FAILED (or CANCELLED) jobs back to QUEUED. */
@Command(name = "retry", mixinStandardHelpOptions = true, description = "Queue a FAILED or CANCELLED job again (attempts back to 0), or every FAILED job.")
final class RetryCommand extends QueueCommand {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    /** One job, or all failed ones. */
    static final class Which {
        @Parameters(index = "0", paramLabel = "ID", description = "The job's id.")
        String id;

        @Option(names = "--all-failed", description = "Every FAILED job of the queue, oldest first.")
        boolean allFailed;
    }

    @Override
    int execute(Queue<JsonNode, JsonNode> queue, Output out) {
        if (which.allFailed) {
            long retried = queue.retryAll(JobState.FAILED);
            out.document(out.object().put("queue", queue.name()).put("result", "RETRIED").put("count", retried));
            out.line("retried " + retried + " FAILED job" + (retried == 1 ? "" : "s") + " of queue " + queue.name());
            return ExitCodes.OK;
        }
        RetryResult result = queue.retry(which.id);
        printResult(out, which.id, result);
        String job = "job '" + JobViews.printable(which.id) + "'";
        switch (result) {
            case RETRIED:
                out.line("retried " + job + ": QUEUED");
                return ExitCodes.OK;
            case NOT_FOUND:
                throw CliFailure.refused("no " + job + " in queue '" + queue.name() + "'");
            default:
                throw CliFailure.refused("cannot retry " + job + ": it is " + state(queue, which.id)
                        + " (only FAILED and CANCELLED jobs can be retried)");
        }
    }

    static String state(Queue<JsonNode, JsonNode> queue, String id) {
        return queue.status(id).map(s -> s.state().name()).orElse("gone");
    }
}
