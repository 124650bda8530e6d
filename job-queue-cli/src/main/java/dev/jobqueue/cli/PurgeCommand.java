package dev.jobqueue.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobqueue.JobState;
import dev.jobqueue.Queue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code purge <state> --yes}: deletes every job of a state; without --yes it only says how many it would delete. */
@Command(name = "purge", mixinStandardHelpOptions = true, description = "Delete every job in a state (not PROCESSING); needs --yes.")
final class PurgeCommand extends QueueCommand {
    @Parameters(index = "0", paramLabel = "STATE", description = "queued, delayed, failing, completed, failed or cancelled.")
    JobState state;

    @Option(names = "--yes", description = "Really delete (without it nothing is deleted and the exit code is 1).")
    boolean yes;

    @Override
    int execute(Queue<JsonNode, JsonNode> queue, Output out) {
        if (state == JobState.PROCESSING) {
            throw new CliFailure(ExitCodes.USAGE, "cannot purge PROCESSING: running jobs cannot be deleted");
        }
        if (!yes) {
            long count = queue.counts().getOrDefault(state, 0L);
            out.document(out.object().put("queue", queue.name()).put("state", state.name()).put("result", "NOT_CONFIRMED")
                    .put("count", 0).put("matching", count));
            throw CliFailure.refused("purge would delete the " + count + " " + state + " job" + (count == 1 ? "" : "s")
                    + " of queue '" + queue.name() + "'; nothing deleted: add --yes to delete them");
        }
        long deleted = queue.purge(state);
        out.document(out.object().put("queue", queue.name()).put("state", state.name()).put("result", "PURGED")
                .put("count", deleted));
        out.line("deleted " + deleted + " " + state + " job" + (deleted == 1 ? "" : "s") + " of queue " + queue.name());
        return ExitCodes.OK;
    }
}
