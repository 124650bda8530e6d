package dev.jobqueue.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobqueue.DeleteResult;
import dev.jobqueue.Queue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code delete <id>}: a job that no worker holds is gone, its id free again. */
@Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a job in any state but PROCESSING (waiting callers get JobCancelledException).")
final class DeleteCommand extends QueueCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The job's id.")
    String id;

    @Override
    int execute(Queue<JsonNode, JsonNode> queue, Output out) {
        DeleteResult result = queue.delete(id);
        printResult(out, id, result);
        String job = "job '" + JobViews.printable(id) + "'";
        switch (result) {
            case DELETED:
                out.line("deleted " + job);
                return ExitCodes.OK;
            case NOT_FOUND:
                throw CliFailure.refused("no " + job + " in queue '" + queue.name() + "'");
            default:
                throw CliFailure.refused("cannot delete " + job + ": a worker is running it (PROCESSING); try again when it ends");
        }
    }
}
