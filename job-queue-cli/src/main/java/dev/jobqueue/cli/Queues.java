package dev.jobqueue.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobqueue.Queue;
import dev.jobqueue.spi.Storage;

/** Opening a queue for operating on it, and telling an unknown queue from an empty one. */
final class Queues {
    private Queues() {
    }

    /** A producer-only queue over JSON trees: never started, so it claims nothing and starts no thread. */
    static Queue<JsonNode, JsonNode> open(Storage storage, String name) {
        try {
            return Queue.builder(storage, JsonNode.class, JsonNode.class).name(name).closeOnJvmShutdown(false).build();
        } catch (IllegalArgumentException e) {
            throw new CliFailure(ExitCodes.USAGE, "--queue: " + e.getMessage());
        }
    }

    /**
     * Refuses a queue the storage does not know (no job record, no pause flag): a mistyped name
     * should not look like an empty queue. The check costs two storage reads; the names of the
     * known queues are listed only when it fails.
     */
    static void requireKnown(Storage storage, Queue<JsonNode, JsonNode> queue, String target) {
        long jobs = queue.counts().values().stream().mapToLong(Long::longValue).sum();
        if (jobs > 0 || queue.isPaused()) {
            return;
        }
        throw CliFailure.refused("no queue named '" + JobViews.printable(queue.name()) + "' on " + target
                + " (known queues: " + QueueCommand.names(storage.queueNames()) + ")");
    }
}
