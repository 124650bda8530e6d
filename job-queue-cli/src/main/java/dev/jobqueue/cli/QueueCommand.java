package dev.jobqueue.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobqueue.Queue;
import dev.jobqueue.spi.Storage;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * A command on one queue ({@code --queue}, required). Payloads and results are read as JSON trees,
 * so the tool works on any queue without its payload classes.
 */
abstract class QueueCommand extends StorageCommand {
    private static final int NAMES_SHOWN = 20;

    @Option(names = {"-q", "--queue"}, required = true, paramLabel = "NAME", description = "The queue.")
    String queueName;

    @Override
    final int execute(Storage storage, Output out) {
        try (Queue<JsonNode, JsonNode> queue = Queues.open(storage, queueName)) {
            if (requiresExistingQueue()) {
                Queues.requireKnown(storage, queue, target().describe());
            }
            return execute(queue, out);
        }
    }

    /** False for commands that make sense on a queue that has no jobs yet (pause, resume). */
    boolean requiresExistingQueue() {
        return true;
    }

    /**
     * Runs the command on the queue.
     *
     * @return the exit code
     */
    abstract int execute(Queue<JsonNode, JsonNode> queue, Output out);

    /** Helper for the one-job commands: the JSON answer {"queue", "id", "result"}. */
    final void printResult(Output out, String id, Enum<?> result) {
        out.document(out.object().put("queue", queueName).put("id", id).put("result", result.name()));
    }

    static String names(List<String> names) {
        if (names.isEmpty()) {
            return "none";
        }
        String shown = String.join(", ", names.subList(0, Math.min(NAMES_SHOWN, names.size())));
        return names.size() > NAMES_SHOWN ? shown + ", ... (" + names.size() + " in all)" : shown;
    }
}
