package dev.jobqueue.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobqueue.JobInfo;
import dev.jobqueue.Queue;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code show <id>}: everything stored about one job. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "A job's payload, metadata, attempts, times and error with its stack trace.")
final class ShowCommand extends QueueCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "The job's id.")
    String id;

    @Override
    int execute(Queue<JsonNode, JsonNode> queue, Output out) {
        Optional<JobInfo<JsonNode, JsonNode>> job = queue.inspect(id);
        if (job.isEmpty()) {
            throw CliFailure.refused("no job '" + JobViews.printable(id) + "' in queue '" + queue.name()
                    + "' (never enqueued, deleted, or its finished record expired)");
        }
        out.document(JobViews.detail(out, job.get()));
        if (!out.json()) {
            JobViews.printDetail(out, job.get());
        }
        return ExitCodes.OK;
    }
}
