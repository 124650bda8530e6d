package dev.jobqueue;

import static dev.jobqueue.BackoffTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.jobqueue.memory.MemoryStorage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One exception type for bad arguments: every public builder setter, given {@code null}, throws
 * an {@link IllegalArgumentException} that names the option (the setter's name); so do the
 * factories and queue calls.
 */
class NullArgumentsTest {
    private final MemoryStorage storage = new MemoryStorage();

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void everyBuilderSetterRejectsNullNamingTheOption() throws Exception {
        List<String> swept = new ArrayList<>();
        swept.addAll(sweep(Queue.Builder.class, () -> Queue.builder(storage, String.class, String.class)));
        swept.addAll(sweep(Reaper.Builder.class, () -> Reaper.builder(storage)));
        swept.addAll(sweep(EnqueueOptions.Builder.class, EnqueueOptions::builder));
        assertTrue(swept.size() >= 20, "swept " + swept);
        assertTrue(swept.containsAll(List.of("handler", "objectMapper", "visibilityTimeout", "scanInterval", "runAt")),
                "swept " + swept);
    }

    /** Calls each public setter with one reference parameter with null; returns the names swept. */
    private static List<String> sweep(Class<?> builderType, java.util.function.Supplier<Object> fresh) throws Exception {
        List<String> names = new ArrayList<>();
        for (Method m : builderType.getMethods()) {
            if (m.getDeclaringClass() != builderType || Modifier.isStatic(m.getModifiers())
                    || m.getParameterCount() != 1 || m.getParameterTypes()[0].isPrimitive()) {
                continue;
            }
            try {
                m.invoke(fresh.get(), (Object) null);
                fail(builderType.getSimpleName() + "." + m.getName() + "(null) was accepted");
            } catch (InvocationTargetException e) {
                Throwable t = e.getCause();
                if (!(t instanceof IllegalArgumentException) || !t.getMessage().contains(m.getName())) {
                    throw new AssertionError(builderType.getSimpleName() + "." + m.getName() + "(null) threw " + t
                            + " instead of an IllegalArgumentException naming " + m.getName(), t);
                }
            }
            names.add(m.getName());
        }
        return names;
    }

    @Test
    void factoriesRejectNullNamingTheArgument() {
        assertMessage("storage", () -> Queue.builder(null, String.class, String.class));
        assertMessage("payloadType", () -> Queue.builder(storage, (Class<String>) null, String.class));
        assertMessage("resultType", () -> Queue.builder(storage, String.class, (Class<String>) null));
        assertMessage("payloadType", () -> Queue.builder(storage, (TypeReference<String>) null, new TypeReference<String>() { }));
        assertMessage("storage", () -> Reaper.builder(null));
        assertMessage("type", () -> Serde.json((Class<String>) null));
        assertMessage("type", () -> Serde.json((TypeReference<String>) null));
        assertMessage("mapper", () -> Serde.json(String.class, null));
        assertMessage("type", () -> Serde.json((Class<String>) null, JsonMapper.builder().build()));
        assertMessage("options", () -> EnqueueRequest.of("a", "x", null));
        assertMessage("failure", () -> ExecutionOutcome.failure(null, false));
        assertMessage("resultTtl", () -> ExecutionOutcome.success("r").withResultTtl(null));
        assertMessage("delay", () -> Backoff.fixed(null));
        assertMessage("base", () -> Backoff.exponential(null, 2, Duration.ofSeconds(1), 0));
        assertMessage("max", () -> Backoff.exponential(Duration.ofSeconds(1), 2, null, 0));
        assertMessage("type", () -> new JobError(null, "m", null, null, 1, Instant.EPOCH));
        assertMessage("failedAt", () -> new JobError("T", "m", null, null, 1, null));
    }

    @Test
    void queueCallsRejectNullNamingTheArgument() {
        Queue<String, String> q = Queue.builder(storage, String.class, String.class).build();
        assertMessage("id", () -> q.enqueue(null, "x"));
        assertMessage("options", () -> q.enqueue("a", "x", null));
        assertMessage("options", () -> q.enqueueAsync("a", "x", null));
        assertMessage("requests", () -> q.enqueueAll(null));
        assertMessage("requests", () -> q.enqueueAll(java.util.Arrays.asList((EnqueueRequest<String>) null)));
        assertMessage("id", () -> q.enqueueAndWait(null, "x", Duration.ofSeconds(1)));
        assertMessage("timeout", () -> q.enqueueAndWait("a", "x", (Duration) null));
        assertMessage("timeout", () -> q.submit("a", "x", EnqueueOptions.defaults(), null));
        assertMessage("options", () -> q.submit("a", "x", null, Duration.ofSeconds(1)));
        assertMessage("id", () -> q.status(null));
        assertMessage("id", () -> q.result(null));
        assertMessage("id", () -> q.error(null));
        assertMessage("id", () -> q.cancel(null));
        assertMessage("id", () -> q.updateResultTtl(null, Duration.ofSeconds(1)));
        assertMessage("ttl", () -> q.updateResultTtl("a", null));
        assertMessage("grace", () -> q.stop(null));
        assertMessage("state", () -> q.list(null, ListOrder.OLDEST_FIRST, 10));
        assertMessage("order", () -> q.list(JobState.FAILED, null, 10));
        assertMessage("id", () -> q.inspect(null));
        assertMessage("id", () -> q.retry(null));
        assertMessage("state", () -> q.retryAll(null));
        assertMessage("id", () -> q.delete(null));
        assertMessage("state", () -> q.purge(null));
        assertMessage("id", () -> q.promote(null));
        assertMessage("metadata", () -> EnqueueOptions.builder().metadata(null));
        assertMessage("timing", () -> ExecutionOutcome.success("r").withTiming(null));
        assertEquals(0, q.waitingCallers(), "a rejected call leaves no waiter behind");
    }
}
