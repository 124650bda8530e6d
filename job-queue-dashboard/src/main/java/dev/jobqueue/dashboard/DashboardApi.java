package dev.jobqueue.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobqueue.JobError;
import dev.jobqueue.JobInfo;
import dev.jobqueue.JobPage;
import dev.jobqueue.JobState;
import dev.jobqueue.ListOrder;
import dev.jobqueue.Queue;
import dev.jobqueue.spi.FinishedTotals;
import dev.jobqueue.spi.Storage;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON API under {@code /api}: reads are GET, actions POST. It works through the public
 * operations API of an untyped {@link Queue} view per queue ({@code Queue<JsonNode, JsonNode>},
 * never started, no handler) plus the storage's operator reads {@code queueNames} and
 * {@code finishedTotals}; every call does bounded work (counts, one page, one job). Callers have
 * been authenticated; actions have passed the Origin, CSRF and read-only checks.
 */
final class DashboardApi {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardApi.class);
    static final int MAX_QUEUES = 500;
    static final int MAX_PAGE = 200;
    private static final int MAX_VIEWS = 1000;
    private static final int MAX_ERROR_PREVIEW = 300;

    private final Storage storage;
    private final ThroughputSampler sampler;
    private final Predicate<String> payloadHidden;
    private final Clock clock;
    private final Map<String, Queue<JsonNode, JsonNode>> views = new ConcurrentHashMap<>();

    DashboardApi(Storage storage, ThroughputSampler sampler, Predicate<String> payloadHidden, Clock clock) {
        this.storage = storage;
        this.sampler = sampler;
        this.payloadHidden = payloadHidden;
        this.clock = clock;
    }

    // ---------------------------------------------------------------- reads

    /** GET /api/queues: every queue with counts, pause flag, next job's age and totals. */
    DashboardResponse queues() {
        List<String> names = storage.queueNames();
        List<Map<String, Object>> out = new ArrayList<>();
        long now = clock.millis();
        for (String name : names.subList(0, Math.min(names.size(), MAX_QUEUES))) {
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("name", name);
            Queue<JsonNode, JsonNode> queue;
            try {
                queue = view(name);
            } catch (Http.BadRequest e) {
                // written through the SPI under a name the Queue API does not accept: listed, not opened
                q.put("unsupported", e.getMessage());
                out.add(q);
                continue;
            }
            q.put("paused", queue.isPaused());
            q.put("counts", queue.counts());
            List<JobInfo<JsonNode, JsonNode>> next = queue.list(JobState.QUEUED, ListOrder.OLDEST_FIRST, 1).jobs();
            if (next.isEmpty()) {
                q.put("nextJob", null);
            } else {
                JobInfo<JsonNode, JsonNode> job = next.get(0);
                q.put("nextJob", Map.of("id", job.id(), "createdAt", job.createdAt(),
                        "ageMillis", Math.max(0, now - job.createdAt().toEpochMilli())));
            }
            FinishedTotals totals = sampler.latest(name);
            q.put("totals", totals == null ? null : Map.of("completed", totals.completed(), "failed", totals.failed()));
            out.add(q);
        }
        return Http.json(200, Map.of("queues", out, "truncated", names.size() > MAX_QUEUES));
    }

    /** GET /api/throughput: the sampled rates of every queue (no storage call). */
    DashboardResponse throughput() {
        Map<String, Object> queues = new LinkedHashMap<>();
        sampler.rates().forEach((name, rates) -> {
            List<Long> at = new ArrayList<>(rates.size());
            List<Double> completed = new ArrayList<>(rates.size());
            List<Double> failed = new ArrayList<>(rates.size());
            for (ThroughputSampler.Rate r : rates) {
                at.add(r.at());
                completed.add(round(r.completedPerMinute()));
                failed.add(round(r.failedPerMinute()));
            }
            queues.put(name, Map.of("at", at, "completedPerMinute", completed, "failedPerMinute", failed));
        });
        return Http.json(200, Map.of("queues", queues));
    }

    /** GET /api/jobs?queue=&state=&order=&cursor=&limit=: one page of summaries. */
    DashboardResponse jobs(Map<String, String> params) {
        String name = required(params, "queue");
        JobState state = state(required(params, "state"));
        ListOrder order = params.containsKey("order") ? order(params.get("order")) : ListOrder.OLDEST_FIRST;
        String cursor = params.get("cursor");
        if (cursor != null && cursor.isEmpty()) {
            cursor = null;
        }
        int limit = limit(params.get("limit"));
        JobPage<JsonNode, JsonNode> page;
        try {
            page = view(name).list(state, order, cursor, limit);
        } catch (IllegalArgumentException e) {
            throw new Http.BadRequest(e.getMessage());
        }
        List<Map<String, Object>> jobs = new ArrayList<>();
        for (JobInfo<JsonNode, JsonNode> job : page.jobs()) {
            jobs.add(summary(job));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("jobs", jobs);
        out.put("nextCursor", page.nextCursor());
        return Http.json(200, out);
    }

    /** GET /api/job?queue=&id=: one job with payload (unless hidden), metadata, timing, error. */
    DashboardResponse job(Map<String, String> params) {
        String name = required(params, "queue");
        String id = required(params, "id");
        Optional<JobInfo<JsonNode, JsonNode>> found;
        try {
            found = view(name).inspect(id);
        } catch (IllegalArgumentException e) {
            throw new Http.BadRequest(e.getMessage());
        }
        if (found.isEmpty()) {
            return Http.error(404, "no job " + id + " in queue " + name);
        }
        JobInfo<JsonNode, JsonNode> job = found.get();
        Map<String, Object> out = summary(job);
        out.put("queue", name);
        out.put("stalls", job.stalls());
        out.put("metadata", job.metadata());
        boolean hidden = payloadHidden.test(name);
        out.put("payloadHidden", hidden);
        if (!hidden) {
            out.put("payload", job.payload());
            out.put("result", job.result());
            out.put("decodeError", job.decodeError());
        }
        out.put("error", error(job.error()));
        return Http.json(200, out);
    }

    // ---------------------------------------------------------------- actions

    /** POST /api/job/{retry,delete,cancel,promote}?queue=&id=. */
    DashboardResponse jobAction(String action, Map<String, String> params, Security.Principal who) {
        String name = required(params, "queue");
        String id = required(params, "id");
        Queue<JsonNode, JsonNode> queue = view(name);
        Enum<?> result;
        try {
            result = switch (action) {
                case "retry" -> queue.retry(id);
                case "delete" -> queue.delete(id);
                case "cancel" -> queue.cancel(id);
                case "promote" -> queue.promote(id);
                default -> null;
            };
        } catch (IllegalArgumentException e) {
            throw new Http.BadRequest(e.getMessage());
        }
        if (result == null) {
            return Http.error(404, "no such action: " + action);
        }
        LOG.info("dashboard: {} {} job {} of queue {} -> {}", who.label(), action, id, name, result);
        String r = result.name();
        int status = r.equals("NOT_FOUND") ? 404
                : Set.of("RETRIED", "DELETED", "CANCELLED", "PROMOTED").contains(r) ? 200 : 409;
        return Http.json(status, Map.of("result", r));
    }

    /** POST /api/queue/{retry-failed,purge,pause,resume}?queue=[&state=]. */
    DashboardResponse queueAction(String action, Map<String, String> params, Security.Principal who) {
        String name = required(params, "queue");
        Queue<JsonNode, JsonNode> queue = view(name);
        Map<String, Object> out = new LinkedHashMap<>();
        switch (action) {
            case "retry-failed" -> out.put("retried", queue.retryAll(JobState.FAILED));
            case "purge" -> {
                JobState state = state(required(params, "state"));
                if (state == JobState.PROCESSING) {
                    throw new Http.BadRequest("state must not be PROCESSING: running jobs cannot be purged");
                }
                out.put("deleted", queue.purge(state));
                out.put("state", state);
            }
            case "pause" -> out.put("changed", queue.pause());
            case "resume" -> out.put("changed", queue.resume());
            default -> {
                return Http.error(404, "no such action: " + action);
            }
        }
        LOG.info("dashboard: {} {} queue {} -> {}", who.label(), action, name, out);
        return Http.json(200, out);
    }

    // ---------------------------------------------------------------- helpers

    private Map<String, Object> summary(JobInfo<JsonNode, JsonNode> job) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", job.id());
        out.put("state", job.state());
        out.put("priority", job.priority());
        out.put("attempts", job.attempts());
        out.put("maxAttempts", job.maxAttempts());
        out.put("createdAt", job.createdAt());
        out.put("runAt", job.runAt());
        out.put("startedAt", job.startedAt());
        out.put("finishedAt", job.finishedAt());
        out.put("expiresAt", job.expiresAt());
        out.put("workerId", job.workerId());
        out.put("leaseDeadline", job.leaseDeadline());
        JobError e = job.error();
        if (e != null) {
            String message = e.message() == null ? "" : e.message();
            out.put("errorPreview", e.type() + ": " + (message.length() > MAX_ERROR_PREVIEW
                    ? message.substring(0, MAX_ERROR_PREVIEW) + "…" : message));
        }
        return out;
    }

    private static Map<String, Object> error(JobError e) {
        if (e == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", e.type());
        out.put("message", e.message());
        out.put("code", e.code());
        out.put("attempts", e.attempts());
        out.put("failedAt", e.failedAt());
        out.put("stackTrace", e.stackTrace());
        return out;
    }

    /** The untyped view of a queue; views of many odd names are not kept (bounded memory). */
    private Queue<JsonNode, JsonNode> view(String name) {
        Queue<JsonNode, JsonNode> v = views.get(name);
        if (v != null) {
            return v;
        }
        try {
            v = Queue.builder(storage, JsonNode.class, JsonNode.class).name(name).build();
        } catch (IllegalArgumentException e) {
            throw new Http.BadRequest(e.getMessage());
        }
        if (views.size() < MAX_VIEWS) {
            views.putIfAbsent(name, v);
        }
        return v;
    }

    private static String required(Map<String, String> params, String name) {
        String value = params.get(name);
        if (value == null || value.isEmpty()) {
            throw new Http.BadRequest(name + " is required");
        }
        return value;
    }

    private static JobState state(String value) {
        try {
            return JobState.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new Http.BadRequest("state must be one of " + List.of(JobState.values()) + ", got " + value);
        }
    }

    private static ListOrder order(String value) {
        try {
            return ListOrder.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new Http.BadRequest("order must be OLDEST_FIRST or NEWEST_FIRST, got " + value);
        }
    }

    private static int limit(String value) {
        if (value == null || value.isEmpty()) {
            return 50;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_PAGE) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new Http.BadRequest("limit must be 1.." + MAX_PAGE + ", got " + value);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** Reads the login body {@code {"token": "..."}}; {@code null} when it is not that. */
    static String loginToken(byte[] body) {
        try {
            JsonNode node = Http.JSON.readTree(body);
            JsonNode token = node == null ? null : node.get("token");
            return token != null && token.isTextual() ? token.asText() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
