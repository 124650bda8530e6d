package dev.jobqueue.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jobqueue.JobState;
import dev.jobqueue.Queue;
import dev.jobqueue.spi.FinishedTotals;
import dev.jobqueue.spi.Storage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stats}: per queue, the jobs in each state, whether it is paused, and how many jobs ever finished. */
@Command(name = "stats", mixinStandardHelpOptions = true, description = "Jobs per state, paused or not, and finished totals, of every queue or of one.")
final class StatsCommand extends StorageCommand {
    @Option(names = {"-q", "--queue"}, paramLabel = "NAME", description = "Only this queue (default: every queue).")
    String queueName;

    @Override
    int execute(Storage storage, Output out) {
        List<String> names;
        if (queueName != null) {
            try (Queue<JsonNode, JsonNode> queue = Queues.open(storage, queueName)) {
                Queues.requireKnown(storage, queue, target().describe());
            }
            names = List.of(queueName);
        } else {
            names = storage.queueNames();
        }
        List<ObjectNode> rows = new ArrayList<>();
        for (String name : names) {
            rows.add(stats(storage, name, out));
        }
        ArrayNode array = out.object().arrayNode();
        rows.forEach(array::add);
        ObjectNode document = out.object();
        document.set("queues", array);
        out.document(document);
        if (!out.json()) {
            printTable(out, rows);
        }
        return ExitCodes.OK;
    }

    private static ObjectNode stats(Storage storage, String name, Output out) {
        try (Queue<JsonNode, JsonNode> queue = Queues.open(storage, name)) {
            Map<JobState, Long> counts = queue.counts();
            FinishedTotals totals = storage.finishedTotals(name);
            ObjectNode row = out.object();
            row.put("queue", name);
            row.put("paused", queue.isPaused());
            ObjectNode countsNode = row.putObject("counts");
            for (JobState state : JobState.values()) {
                countsNode.put(state.name(), counts.getOrDefault(state, 0L));
            }
            ObjectNode finished = row.putObject("finished");
            finished.put("completed", totals.completed());
            finished.put("failed", totals.failed());
            return row;
        }
    }

    private static void printTable(Output out, List<ObjectNode> rows) {
        if (rows.isEmpty()) {
            out.line("no queues");
            return;
        }
        List<String> header = new ArrayList<>(List.of("QUEUE", "PAUSED"));
        for (JobState state : JobState.values()) {
            header.add(state.name());
        }
        header.add("COMPLETED_TOTAL");
        header.add("FAILED_TOTAL");
        Table table = new Table(header.toArray(String[]::new));
        for (ObjectNode row : rows) {
            List<Object> cells = new ArrayList<>();
            cells.add(JobViews.printable(row.get("queue").asText()));
            cells.add(row.get("paused").asBoolean() ? "yes" : "no");
            for (JobState state : JobState.values()) {
                cells.add(row.get("counts").get(state.name()).asLong());
            }
            cells.add(row.get("finished").get("completed").asLong());
            cells.add(row.get("finished").get("failed").asLong());
            table.row(cells.toArray());
        }
        table.lines().forEach(out::line);
    }
}
