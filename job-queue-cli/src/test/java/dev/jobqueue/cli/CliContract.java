package dev.jobqueue.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobqueue.JobState;
import dev.jobqueue.Queue;
import dev.jobqueue.Serde;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.Storage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every command against one real storage, run in-process: outputs (text, and --json parsed with
 * Jackson), exit codes and the storage's state afterwards. The storage the test seeds stays open
 * while the tool runs, as a running application's would.
 */
abstract class CliContract {
    private static final AtomicInteger QUEUES = new AtomicInteger();

    Storage app;
    String queue;

    /** The storage as the application sees it (opened once per test, closed after it). */
    abstract Storage openAppStorage() throws Exception;

    /** The options that point the tool at the same storage. */
    abstract List<String> targetArgs();

    @BeforeEach
    void seed() throws Exception {
        app = openAppStorage();
        queue = "cli-" + getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + "-" + QUEUES.incrementAndGet();
        Seeds.allStates(app, queue);
    }

    @AfterEach
    void closeApp() {
        if (app != null) {
            app.close();
        }
    }

    Cli.Result jq(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(targetArgs());
        return Cli.run(all.toArray(String[]::new));
    }

    /** {@link #jq} with --queue of this test. */
    Cli.Result onQueue(String... args) {
        return jq(Stream.concat(Arrays.stream(args), Stream.of("--queue", queue)).toArray(String[]::new));
    }

    Optional<JobState> state(String id) {
        return app.status(queue, id).map(JobSnapshot::state);
    }

    static void assertExit(int expected, Cli.Result result) {
        assertEquals(expected, result.exitCode(), result::toString);
    }

    // ------------------------------------------------------------------ stats

    @Test
    void statsOfEveryQueueCountsEachStateAndTheFinishedTotals() {
        Cli.Result json = jq("stats", "--json");
        assertExit(0, json);
        JsonNode mine = null;
        for (JsonNode q : json.json().get("queues")) {
            if (q.get("queue").asText().equals(queue)) {
                mine = q;
            }
        }
        assertNotNull(mine, json::toString);
        assertFalse(mine.get("paused").asBoolean());
        assertEquals(2, mine.get("counts").get("QUEUED").asLong());
        for (String state : List.of("DELAYED", "PROCESSING", "FAILING", "COMPLETED", "FAILED", "CANCELLED")) {
            assertEquals(1, mine.get("counts").get(state).asLong(), state);
        }
        assertEquals(1, mine.get("finished").get("completed").asLong());
        assertEquals(1, mine.get("finished").get("failed").asLong());

        Cli.Result text = jq("stats", "--queue", queue);
        assertExit(0, text);
        String[] lines = text.out().split("\n");
        assertEquals(2, lines.length, text::toString);
        assertEquals(List.of("QUEUE", "PAUSED", "QUEUED", "DELAYED", "PROCESSING", "FAILING", "COMPLETED", "FAILED",
                "CANCELLED", "COMPLETED_TOTAL", "FAILED_TOTAL"), List.of(lines[0].trim().split("\\s+")));
        assertEquals(List.of(queue, "no", "2", "1", "1", "1", "1", "1", "1", "1", "1"), List.of(lines[1].trim().split("\\s+")));
    }

    @Test
    void aMissingQueueIsRefusedNamingTheKnownOnes() {
        for (String[] args : List.of(new String[] {"stats", "--queue", "no-such-queue"},
                new String[] {"list", "failed", "--queue", "no-such-queue"},
                new String[] {"show", "done-1", "--queue", "no-such-queue"},
                new String[] {"retry", "failed-1", "--queue", "no-such-queue"})) {
            Cli.Result result = jq(args);
            assertExit(1, result);
            assertTrue(result.err().contains("no queue named 'no-such-queue'"), result::toString);
            assertTrue(result.err().contains(queue), "lists the known queues: " + result);
            assertEquals("", result.out());
        }
        assertEquals(Optional.of(JobState.FAILED), state("failed-1"));
    }

    // ------------------------------------------------------------------ list

    @Test
    void listShowsIdStateAttemptsAndTimesOfOneState() {
        Cli.Result text = onQueue("list", "failed");
        assertExit(0, text);
        String[] lines = text.out().split("\n");
        assertTrue(lines[0].startsWith("ID") && lines[0].contains("ATTEMPTS") && lines[0].contains("FINISHED"), text::toString);
        assertTrue(lines[1].startsWith("failed-1 ") && lines[1].contains("FAILED") && lines[1].contains("1/1")
                && lines[1].contains("IllegalStateException: mailbox full"), text::toString);
        assertEquals(2, lines.length, "no next page: " + text);

        Cli.Result json = onQueue("list", "FAILED", "--json");
        assertExit(0, json);
        JsonNode doc = json.json();
        assertEquals(queue, doc.get("queue").asText());
        assertEquals("FAILED", doc.get("state").asText());
        assertEquals("oldest", doc.get("order").asText());
        assertTrue(doc.get("nextCursor").isNull());
        JsonNode job = doc.get("jobs").get(0);
        assertEquals("failed-1", job.get("id").asText());
        assertEquals(1, job.get("attempts").asInt());
        assertEquals(1, job.get("maxAttempts").asInt());
        assertEquals("acme", job.get("metadata").get("tenant").asText());
        assertEquals("java.lang.IllegalStateException", job.get("error").get("type").asText());
        assertFalse(job.get("error").has("stackTrace"), "list leaves stack traces to show");
        assertFalse(job.has("payload"), "list leaves payloads to show");
        for (String field : List.of("createdAt", "startedAt", "finishedAt", "expiresAt")) {
            assertFalse(job.get(field).isNull(), field);
        }
        assertTrue(job.get("runAt").isNull());
    }

    @Test
    void listPagesWithLimitAndCursorInBothOrders() {
        Cli.Result first = onQueue("list", "queued", "--limit", "1", "--json");
        assertExit(0, first);
        assertEquals(1, first.json().get("jobs").size());
        assertEquals("queued-2", first.json().get("jobs").get(0).get("id").asText(), "priority 5 is claimed first");
        String cursor = first.json().get("nextCursor").asText();

        Cli.Result second = onQueue("list", "queued", "--limit", "1", "--cursor", cursor, "--json");
        assertExit(0, second);
        assertEquals("queued-1", second.json().get("jobs").get(0).get("id").asText());
        JsonNode next = second.json().get("nextCursor");
        if (!next.isNull()) { // allowed only when the storage cannot tell cheaply; then the next page is empty
            Cli.Result third = onQueue("list", "queued", "--limit", "1", "--cursor", next.asText(), "--json");
            assertEquals(0, third.json().get("jobs").size(), third::toString);
        }

        Cli.Result newest = onQueue("list", "queued", "--order", "newest", "--json");
        assertEquals(List.of("queued-1", "queued-2"), ids(newest.json()));

        Cli.Result text = onQueue("list", "queued", "--limit", "1");
        assertTrue(text.out().contains("next page: --cursor " + cursor), text::toString);
    }

    @Test
    void listRefusesABadStateAMalformedCursorAndAMissingQueueOption() {
        Cli.Result badState = onQueue("list", "finished");
        assertExit(2, badState);
        assertTrue(badState.err().contains("finished") && badState.err().contains("QUEUED"), badState::toString);

        Cli.Result badCursor = onQueue("list", "failed", "--cursor", "not-a-cursor");
        assertExit(2, badCursor);
        assertTrue(badCursor.err().contains("cursor"), badCursor::toString);

        Cli.Result otherState = onQueue("list", "queued", "--limit", "1", "--json");
        Cli.Result wrongState = onQueue("list", "delayed", "--cursor", otherState.json().get("nextCursor").asText());
        assertExit(2, wrongState);
        assertTrue(wrongState.err().contains("cursor"), wrongState::toString);

        Cli.Result noQueue = jq("list", "failed");
        assertExit(2, noQueue);
        assertTrue(noQueue.err().contains("--queue"), noQueue::toString);

        assertExit(2, onQueue("list", "failed", "--limit", "0"));
        assertExit(2, onQueue("list", "failed", "--order", "sideways"));
    }

    private static List<String> ids(JsonNode listDocument) {
        List<String> ids = new ArrayList<>();
        listDocument.get("jobs").forEach(j -> ids.add(j.get("id").asText()));
        return ids;
    }

    // ------------------------------------------------------------------ show

    @Test
    void showPrintsPayloadMetadataAttemptsTimingsAndTheErrorWithItsStack() {
        Cli.Result text = onQueue("show", "failed-1");
        assertExit(0, text);
        String out = text.out();
        assertTrue(out.contains("state        FAILED") || out.contains("FAILED"), out);
        assertTrue(out.contains("\"to\" : \"bob@example.com\""), out);
        assertTrue(out.contains("metadata.tenant") && out.contains("acme"), out);
        assertTrue(out.contains("error: java.lang.IllegalStateException: mailbox full"), out);
        assertTrue(out.contains("at dev.jobqueue.cli.Seeds"), "stack trace: " + out);

        JsonNode job = onQueue("show", "failed-1", "--json").json();
        assertEquals("bob@example.com", job.get("payload").get("to").asText());
        assertEquals("t-42", job.get("metadata").get("trace").asText());
        assertEquals(1, job.get("attempts").asInt());
        assertFalse(job.get("startedAt").isNull());
        assertFalse(job.get("finishedAt").isNull());
        assertTrue(job.get("error").get("stackTrace").asText().contains("dev.jobqueue.cli.Seeds"));
        assertTrue(job.get("result").isNull());

        JsonNode done = onQueue("show", "done-1", "--json").json();
        assertEquals("sent", done.get("result").asText());
        assertTrue(done.get("error").isNull());

        JsonNode running = onQueue("show", "running-1", "--json").json();
        assertEquals("seed-worker", running.get("workerId").asText());
        assertFalse(running.get("leaseDeadline").isNull());
    }

    @Test
    void showOfAMissingJobIsRefused() {
        Cli.Result result = onQueue("show", "no-such-job", "--json");
        assertExit(1, result);
        assertEquals("", result.out());
        assertTrue(result.err().contains("no job 'no-such-job'"), result::toString);
    }

    @Test
    void oddIdsAreShownAndDeletedAndControlCharactersCannotReachTheTerminal() throws Exception {
        String odd = "a:{b}/../ü " + "x".repeat(40);
        String evil = "evil\u001b[2J";
        try (Queue<String, String> producer = Queue.builder(app, String.class, String.class).name(queue)
                .closeOnJvmShutdown(false).build()) {
            producer.enqueue(odd, "odd");
            producer.enqueue(evil, "evil");
            producer.enqueue("--json", "dashes");
        }
        List<String> afterDoubleDash = new ArrayList<>(List.of("show", "--queue", queue));
        afterDoubleDash.addAll(targetArgs());
        afterDoubleDash.addAll(List.of("--", "--json"));
        Cli.Result dashes = Cli.run(afterDoubleDash.toArray(String[]::new));
        assertExit(0, dashes);
        assertTrue(dashes.out().contains("\"dashes\""), "an id that looks like an option goes after --: " + dashes);
        assertEquals(odd, onQueue("show", odd, "--json").json().get("id").asText());
        Cli.Result listed = onQueue("list", "queued", "--limit", "10");
        assertFalse(listed.out().contains("\u001b"), listed::toString);
        assertTrue(listed.out().contains("evil\\u001b[2J"), listed::toString);
        assertExit(0, onQueue("delete", odd));
        assertEquals(Optional.empty(), state(odd));
        assertEquals(Optional.of(JobState.QUEUED), state(evil));
        assertEquals(Optional.of(JobState.QUEUED), state("queued-1"));
    }

    @Test
    void aPayloadThatIsNotJsonIsShownAsADecodeErrorNotAFailure() {
        Serde<String> raw = new Serde<>() {
            @Override
            public byte[] serialize(String value) {
                return value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }

            @Override
            public String deserialize(byte[] bytes) {
                return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
            }
        };
        try (Queue<String, String> producer = Queue.builder(app, String.class, String.class).name(queue)
                .payloadSerde(raw).closeOnJvmShutdown(false).build()) {
            producer.enqueue("raw-1", "{not json");
        }
        Cli.Result json = onQueue("show", "raw-1", "--json");
        assertExit(0, json);
        assertTrue(json.json().get("payload").isNull());
        assertTrue(json.json().get("decodeError").asText().startsWith("payload"), json::toString);
        Cli.Result text = onQueue("show", "raw-1");
        assertExit(0, text);
        assertTrue(text.out().contains("decode error: payload"), text::toString);
        assertExit(0, onQueue("delete", "raw-1"));
    }

    // ------------------------------------------------------------------ retry

    @Test
    void retryQueuesAFailedJobAgainAndRefusesOthers() {
        Cli.Result retried = onQueue("retry", "failed-1", "--json");
        assertExit(0, retried);
        assertEquals("RETRIED", retried.json().get("result").asText());
        assertEquals(Optional.of(JobState.QUEUED), state("failed-1"));
        assertEquals(0, app.status(queue, "failed-1").orElseThrow().attempts());

        Cli.Result notRetryable = onQueue("retry", "queued-1", "--json");
        assertExit(1, notRetryable);
        assertEquals("NOT_RETRYABLE", notRetryable.json().get("result").asText());
        assertTrue(notRetryable.err().contains("it is QUEUED"), notRetryable::toString);

        Cli.Result missing = onQueue("retry", "no-such-job");
        assertExit(1, missing);
        assertTrue(missing.err().contains("no job 'no-such-job'"), missing::toString);

        Cli.Result cancelled = onQueue("retry", "cancelled-1");
        assertExit(0, cancelled);
        assertEquals("retried job 'cancelled-1': QUEUED\n", cancelled.out());
    }

    @Test
    void retryAllFailedRetriesEveryFailedJob() {
        Cli.Result result = onQueue("retry", "--all-failed", "--json");
        assertExit(0, result);
        assertEquals(1, result.json().get("count").asLong());
        assertEquals(Optional.of(JobState.QUEUED), state("failed-1"));
        assertEquals(Optional.of(JobState.CANCELLED), state("cancelled-1"));

        Cli.Result again = onQueue("retry", "--all-failed");
        assertExit(0, again);
        assertEquals("retried 0 FAILED jobs of queue " + queue + "\n", again.out());
    }

    @Test
    void retryNeedsExactlyOneOfIdAndAllFailed() {
        assertExit(2, onQueue("retry"));
        assertExit(2, onQueue("retry", "failed-1", "--all-failed"));
        assertEquals(Optional.of(JobState.FAILED), state("failed-1"));
    }

    // ------------------------------------------------------------------ delete, purge, promote

    @Test
    void deleteRemovesAJobButNotARunningOne() {
        Cli.Result deleted = onQueue("delete", "cancelled-1", "--json");
        assertExit(0, deleted);
        assertEquals("DELETED", deleted.json().get("result").asText());
        assertEquals(Optional.empty(), state("cancelled-1"));

        Cli.Result running = onQueue("delete", "running-1", "--json");
        assertExit(1, running);
        assertEquals("PROCESSING", running.json().get("result").asText());
        assertEquals(Optional.of(JobState.PROCESSING), state("running-1"));

        assertExit(1, onQueue("delete", "cancelled-1"));
    }

    @Test
    void purgeAsksForYesAndThenDeletesTheWholeState() {
        Cli.Result unconfirmed = onQueue("purge", "completed");
        assertExit(1, unconfirmed);
        assertTrue(unconfirmed.err().contains("--yes") && unconfirmed.err().contains("would delete the 1 COMPLETED job"),
                unconfirmed::toString);
        assertEquals(Optional.of(JobState.COMPLETED), state("done-1"));

        Cli.Result purged = onQueue("purge", "completed", "--yes", "--json");
        assertExit(0, purged);
        assertEquals(1, purged.json().get("count").asLong());
        assertEquals(Optional.empty(), state("done-1"));

        Cli.Result processing = onQueue("purge", "processing", "--yes");
        assertExit(2, processing);
        assertEquals(Optional.of(JobState.PROCESSING), state("running-1"));
        assertExit(2, onQueue("purge", "everything", "--yes"));
    }

    @Test
    void promoteMakesADelayedOrFailingJobQueued() {
        assertExit(0, onQueue("promote", "delayed-1"));
        assertEquals(Optional.of(JobState.QUEUED), state("delayed-1"));
        assertExit(0, onQueue("promote", "failing-1"));
        assertEquals(Optional.of(JobState.QUEUED), state("failing-1"));

        Cli.Result notDelayed = onQueue("promote", "failed-1", "--json");
        assertExit(1, notDelayed);
        assertEquals("NOT_DELAYED", notDelayed.json().get("result").asText());
        assertExit(1, onQueue("promote", "no-such-job"));
    }

    // ------------------------------------------------------------------ pause, resume

    @Test
    void pauseAndResumeSetTheDurableFlag() {
        Cli.Result paused = onQueue("pause", "--json");
        assertExit(0, paused);
        assertTrue(paused.json().get("paused").asBoolean());
        assertTrue(paused.json().get("changed").asBoolean());
        assertTrue(app.isPaused(queue));
        assertEquals("queue " + queue + " was already paused\n", onQueue("pause").out());
        assertTrue(jq("stats", "--queue", queue, "--json").json().get("queues").get(0).get("paused").asBoolean());

        Cli.Result resumed = onQueue("resume");
        assertExit(0, resumed);
        assertEquals("queue " + queue + " is now running\n", resumed.out());
        assertFalse(app.isPaused(queue));
    }

    @Test
    void aQueueWithoutJobsCanBePausedBeforeItsFirstJob() {
        String fresh = queue + "-fresh";
        assertExit(0, jq("pause", "--queue", fresh));
        assertTrue(app.isPaused(fresh));
        assertExit(0, jq("stats", "--queue", fresh));
        assertExit(0, jq("resume", "--queue", fresh));
        assertExit(1, jq("stats", "--queue", fresh));
    }

    @Test
    void targetAndJsonOptionsMayStandBeforeTheCommand() {
        List<String> args = new ArrayList<>(targetArgs());
        args.addAll(List.of("--json", "stats", "--queue", queue));
        Cli.Result result = Cli.run(args.toArray(String[]::new));
        assertExit(0, result);
        assertEquals(queue, result.json().get("queues").get(0).get("queue").asText());
    }

    // ------------------------------------------------------------------ usage

    @Test
    void unknownCommandsAndOptionsAreUsageErrors() {
        Cli.Result unknown = jq("frobnicate");
        assertExit(2, unknown);
        assertTrue(unknown.err().contains("frobnicate"), unknown::toString);
        assertExit(2, onQueue("list", "failed", "--colour"));
        assertExit(2, Cli.run());
        assertExit(2, jq("list", "failed", "--queue", "bad name!"));
        assertExit(0, Cli.run("--help"));
        assertExit(0, Cli.run("list", "--help"));
        assertEquals(Map.of(JobState.FAILED, 1L), Map.of(JobState.FAILED, app.counts(queue).get(JobState.FAILED)));
    }
}
