package dev.jobqueue.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobqueue.Queue;
import picocli.CommandLine.Command;

/** {@code pause}: workers of the queue, in every process, stop claiming until {@code resume}. */
@Command(name = "pause", mixinStandardHelpOptions = true, description = "Stop every worker of the queue from claiming jobs (running jobs finish).")
final class PauseCommand extends QueueCommand {
    @Override
    boolean requiresExistingQueue() {
        return false; // pausing a queue before its first job is a normal thing to do
    }

    @Override
    int execute(Queue<JsonNode, JsonNode> queue, Output out) {
        return PauseCommand.report(out, queue.name(), queue.pause(), true);
    }

    static int report(Output out, String queue, boolean changed, boolean paused) {
        out.document(out.object().put("queue", queue).put("paused", paused).put("changed", changed));
        out.line("queue " + queue + (changed ? " is now " : " was already ") + (paused ? "paused" : "running"));
        return ExitCodes.OK;
    }
}
