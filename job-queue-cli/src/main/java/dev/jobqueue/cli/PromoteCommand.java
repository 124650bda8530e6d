package dev.jobqueue.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobqueue.PromoteResult;
import dev.jobqueue.Queue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code promote <id>}: a DELAYED job, or a FAILING one waiting out its backoff, becomes QUEUED now. */
@Command(name = "promote", mixinStandardHelpOptions = true, description = "Make a DELAYED or FAILING job QUEUED now.")
final class PromoteCommand extends QueueCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The job's id.")
    String id;

    @Override
    int execute(Queue<JsonNode, JsonNode> queue, Output out) {
        PromoteResult result = queue.promote(id);
        printResult(out, id, result);
        String job = "job '" + JobViews.printable(id) + "'";
        switch (result) {
            case PROMOTED:
                out.line("promoted " + job + ": QUEUED");
                return ExitCodes.OK;
            case NOT_FOUND:
                throw CliFailure.refused("no " + job + " in queue '" + queue.name() + "'");
            default:
                throw CliFailure.refused("cannot promote " + job + ": it is " + RetryCommand.state(queue, id)
                        + " (only DELAYED and FAILING jobs wait to be promoted)");
        }
    }
}
