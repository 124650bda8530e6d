package dev.jobqueue.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jobqueue.JobError;
import dev.jobqueue.JobInfo;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a job is shown: the JSON fields (names documented in the README, stable for scripts) and the
 * text forms. Text escapes control characters of ids, metadata and messages, so a job id cannot
 * move the cursor of the operator's terminal.
 */
final class JobViews {
    private JobViews() {
    }

    /** The fields {@code list --json} prints per job: everything but payload, result and stack trace. */
    static ObjectNode summary(Output output, JobInfo<JsonNode, JsonNode> job) {
        ObjectNode node = output.object();
        node.put("id", job.id());
        node.put("state", job.state().name());
        node.put("priority", job.priority());
        node.put("attempts", job.attempts());
        node.put("maxAttempts", job.maxAttempts());
        node.put("stalls", job.stalls());
        time(node, "createdAt", job.createdAt());
        time(node, "runAt", job.runAt());
        time(node, "startedAt", job.startedAt());
        time(node, "finishedAt", job.finishedAt());
        time(node, "expiresAt", job.expiresAt());
        node.put("workerId", job.workerId());
        time(node, "leaseDeadline", job.leaseDeadline());
        ObjectNode metadata = node.putObject("metadata");
        new TreeMap<>(job.metadata()).forEach(metadata::put);
        node.set("error", error(output, job.error(), false));
        node.put("decodeError", job.decodeError());
        return node;
    }

    /** The fields {@code show --json} prints: the summary plus payload, result and the error's stack trace. */
    static ObjectNode detail(Output output, JobInfo<JsonNode, JsonNode> job) {
        ObjectNode node = summary(output, job);
        node.set("payload", job.payload());
        node.set("result", job.result());
        node.set("error", error(output, job.error(), true));
        return node;
    }

    private static JsonNode error(Output output, JobError error, boolean withStack) {
        if (error == null) {
            return null;
        }
        ObjectNode node = output.object();
        node.put("type", error.type());
        node.put("message", error.message());
        node.put("code", error.code());
        node.put("attempts", error.attempts());
        time(node, "failedAt", error.failedAt());
        if (withStack) {
            node.put("stackTrace", error.stackTrace());
        }
        return node;
    }

    private static void time(ObjectNode node, String field, Instant time) {
        node.put(field, time == null ? null : time.toString());
    }

    /** An instant as text: UTC, to the millisecond. */
    static String time(Instant time) {
        return time == null ? "-" : time.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    /** {@code text} with control characters (but newlines and tabs, when {@code multiLine}) written as \\uXXXX. */
    static String printable(String text, boolean multiLine) {
        if (text == null) {
            return "-";
        }
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean allowed = multiLine && (c == '\n' || c == '\t');
            if (!allowed && (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0))) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    static String printable(String text) {
        return printable(text, false);
    }

    /** The text of {@code show}: one field per line, then payload, result and error with its stack trace. */
    static void printDetail(Output out, JobInfo<JsonNode, JsonNode> job) {
        Table fields = new Table("id", printable(job.id()));
        fields.row("state", job.state());
        fields.row("priority", job.priority());
        fields.row("attempts", job.attempts() + " of " + job.maxAttempts() + (job.stalls() > 0 ? ", stalls " + job.stalls() : ""));
        fields.row("created", time(job.createdAt()));
        fields.row("run at", time(job.runAt()));
        fields.row("started", time(job.startedAt()));
        fields.row("finished", time(job.finishedAt()));
        fields.row("expires", time(job.expiresAt()));
        if (job.workerId() != null) {
            fields.row("worker", printable(job.workerId()));
            fields.row("lease until", time(job.leaseDeadline()));
        }
        Map<String, String> metadata = new TreeMap<>(job.metadata());
        if (metadata.isEmpty()) {
            fields.row("metadata", "-");
        }
        metadata.forEach((k, v) -> fields.row("metadata." + printable(k), printable(v)));
        fields.lines().forEach(line -> out.line(line.stripTrailing()));
        out.line("payload:");
        out.line(indent(job.payload() == null ? "-" : pretty(job.payload())));
        if (job.result() != null) {
            out.line("result:");
            out.line(indent(pretty(job.result())));
        }
        if (job.decodeError() != null) {
            out.line("decode error: " + printable(job.decodeError()));
        }
        JobError error = job.error();
        if (error != null) {
            out.line("error: " + printable(error.type()) + ": " + printable(error.message())
                    + (error.code() == null ? "" : " (code " + printable(error.code()) + ")")
                    + ", attempt " + error.attempts() + ", at " + time(error.failedAt()));
            if (error.stackTrace() != null && !error.stackTrace().isEmpty()) {
                out.line(indent(printable(error.stackTrace().stripTrailing(), true)));
            }
        }
    }

    private static String pretty(JsonNode node) {
        try {
            return printable(Output.MAPPER.writeValueAsString(node), true);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return printable(node.toString(), true);
        }
    }

    private static String indent(String text) {
        return "  " + text.replace("\n", "\n  ");
    }
}
