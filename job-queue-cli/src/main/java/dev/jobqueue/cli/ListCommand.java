package dev.jobqueue.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jobqueue.JobInfo;
import dev.jobqueue.JobPage;
import dev.jobqueue.JobState;
import dev.jobqueue.ListOrder;
import dev.jobqueue.Queue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code list <state>}: one page of a state's jobs, in the state's order, with a cursor to the next page. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "One page of the jobs in a state; --cursor continues where a page ended.")
final class ListCommand extends QueueCommand {
    /** The most jobs one page may hold (one storage call reads at most this many). */
    static final int MAX_LIMIT = 1000;

    /** Which end of the state's order a page starts from. */
    enum Order {
        /** ListOrder.OLDEST_FIRST. */
        OLDEST(ListOrder.OLDEST_FIRST),
        /** ListOrder.NEWEST_FIRST. */
        NEWEST(ListOrder.NEWEST_FIRST);

        final ListOrder listOrder;

        Order(ListOrder listOrder) {
            this.listOrder = listOrder;
        }
    }

    @Parameters(index = "0", paramLabel = "STATE",
            description = "queued, delayed, processing, failing, completed, failed or cancelled.")
    JobState state;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "Jobs per page, 1..1000 (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--order", paramLabel = "ORDER", defaultValue = "oldest",
            description = "oldest or newest first (default: ${DEFAULT-VALUE}); QUEUED: claim order, DELAYED/FAILING: due time,"
                    + " PROCESSING: lease deadline, finished states: expiry time.")
    Order order;

    @Option(names = "--cursor", paramLabel = "CURSOR", description = "The next-page cursor a previous list printed.")
    String cursor;

    @Override
    int execute(Queue<JsonNode, JsonNode> queue, Output out) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new CliFailure(ExitCodes.USAGE, "--limit must be 1.." + MAX_LIMIT + ", got " + limit);
        }
        JobPage<JsonNode, JsonNode> page = queue.list(state, order.listOrder, cursor == null || cursor.isEmpty() ? null : cursor, limit);
        ObjectNode document = out.object();
        document.put("queue", queue.name());
        document.put("state", state.name());
        document.put("order", order.name().toLowerCase(java.util.Locale.ROOT));
        ArrayNode jobs = document.putArray("jobs");
        page.jobs().forEach(job -> jobs.add(JobViews.summary(out, job)));
        document.put("nextCursor", page.nextCursor());
        out.document(document);
        if (!out.json()) {
            printTable(out, page);
        }
        return ExitCodes.OK;
    }

    private void printTable(Output out, JobPage<JsonNode, JsonNode> page) {
        if (page.jobs().isEmpty()) {
            out.line("no " + state + " jobs" + (cursor == null ? "" : " after this cursor"));
        } else {
            Table table = new Table("ID", "STATE", "ATTEMPTS", "PRIORITY", "CREATED", "RUN_AT", "STARTED", "FINISHED", "ERROR");
            for (JobInfo<JsonNode, JsonNode> job : page.jobs()) {
                table.row(JobViews.printable(job.id()), job.state(), job.attempts() + "/" + job.maxAttempts(), job.priority(),
                        JobViews.time(job.createdAt()), JobViews.time(job.runAt()), JobViews.time(job.startedAt()),
                        JobViews.time(job.finishedAt()), job.error() == null ? null : shortError(job));
            }
            table.lines().forEach(line -> out.line(line.stripTrailing()));
        }
        if (page.nextCursor() != null) {
            out.line("next page: --cursor " + shellWord(page.nextCursor()));
        }
    }

    /** The cursor as one shell word, ready to paste (quoted only when it holds more than letters, digits and -_.:=+/). */
    static String shellWord(String text) {
        return text.matches("[A-Za-z0-9_.:=+/-]+") ? text : "'" + text.replace("'", "'\\''") + "'";
    }

    private static String shortError(JobInfo<JsonNode, JsonNode> job) {
        String type = job.error().type();
        String simpleType = type == null ? "" : type.substring(type.lastIndexOf('.') + 1);
        String message = job.error().message() == null ? "" : ": " + job.error().message();
        String text = JobViews.printable(simpleType + message);
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }
}
