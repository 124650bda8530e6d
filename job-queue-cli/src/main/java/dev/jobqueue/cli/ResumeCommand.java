package dev.jobqueue.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobqueue.Queue;
import picocli.CommandLine.Command;

/** {@code resume}: idle workers of the queue claim again at once. */
@Command(name = "resume", mixinStandardHelpOptions = true, description = "End a pause: idle workers everywhere claim again at once.")
final class ResumeCommand extends QueueCommand {
    @Override
    boolean requiresExistingQueue() {
        return false;
    }

    @Override
    int execute(Queue<JsonNode, JsonNode> queue, Output out) {
        return PauseCommand.report(out, queue.name(), queue.resume(), false);
    }
}
