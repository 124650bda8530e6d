package dev.jobqueue.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobError;
import dev.jobqueue.JobState;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * CheckedStorage wraps once, forwards every SPI method (its own override, never an SPI default
 * that would bypass a storage's batching) with the caller's arguments, and checks names. The
 * argument rules themselves are pinned down per SPI method by the test kit's ArgumentsContract.
 */
class CheckedStorageTest {
    private final List<String> calls = new ArrayList<>();
    private final List<Object[]> arguments = new ArrayList<>();
    private final Storage recording = (Storage) Proxy.newProxyInstance(Storage.class.getClassLoader(),
            new Class<?>[] {Storage.class}, (proxy, method, args) -> {
                if (method.getName().equals("toString")) {
                    return "RecordingStorage";
                }
                calls.add(method.getName());
                arguments.add(args == null ? new Object[0] : args);
                if (method.getReturnType() == boolean.class) {
                    return true;
                }
                return method.getReturnType() == CompletableFuture.class ? CompletableFuture.completedFuture(null) : null;
            });
    private final Storage checked = CheckedStorage.of(recording);

    @Test
    void wrapsOnceAndRejectsNull() {
        assertSame(checked, CheckedStorage.of(checked));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CheckedStorage.of(null));
        assertTrue(e.getMessage().contains("storage"), e.getMessage());
        assertEquals("RecordingStorage", checked.toString());
    }

    @Test
    void overridesEveryStorageMethod() throws Exception {
        for (Method m : Storage.class.getMethods()) {
            if (!Modifier.isStatic(m.getModifiers())) {
                Method own = CheckedStorage.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
                assertEquals(CheckedStorage.class, own.getDeclaringClass(), m.getName());
            }
        }
    }

    @Test
    void forwardsEveryValidCallWithItsArguments() throws Exception {
        NewJob job = new NewJob("j", new byte[] {1}, 0, Duration.ZERO, null, 1, 0, Duration.ofMinutes(1), false);
        LeaseRef lease = new LeaseRef("j", 7);
        JobError error = new JobError("E", "m", null, null, 1, Instant.EPOCH);
        Duration d = Duration.ofSeconds(1);
        TerminalListener listener = (id, s) -> {
        };
        List<NewJob> jobs = List.of(job);
        List<LeaseRef> leases = List.of(lease);
        byte[] result = new byte[0];
        List<Completion> completions = List.of(new Completion(lease, result, d));
        List<Object[]> expected = List.of(
                new Object[] {"q", job}, new Object[] {"q", job}, new Object[] {"q", jobs},
                new Object[] {"q", "w", 2, d, Duration.ZERO}, new Object[] {"q", leases, d},
                new Object[] {"q", lease, result, null}, new Object[] {"q", completions},
                new Object[] {"q", lease, error, d}, new Object[] {"q", lease, Duration.ZERO, error},
                new Object[] {"q", lease}, new Object[] {"q", lease}, new Object[] {"q", 3},
                new Object[] {"q", "j"}, new Object[] {"q", "j"}, new Object[] {"q", "j", d}, new Object[] {"q"},
                new Object[] {"q", JobState.FAILED, 1}, new Object[] {"q", listener},
                new Object[] {"q", "l", "o", d}, new Object[] {"q", "l", "o", d}, new Object[] {"q", "l", "o"},
                new Object[0]);
        checked.enqueue("q", job);
        checked.enqueueAsync("q", job);
        checked.enqueueBatch("q", jobs);
        checked.claim("q", "w", 2, d, Duration.ZERO);
        checked.extend("q", leases, d);
        checked.complete("q", lease, result, null);
        checked.completeAll("q", completions);
        checked.fail("q", lease, error, d);
        checked.retry("q", lease, Duration.ZERO, error);
        checked.release("q", lease);
        checked.unclaim("q", lease);
        checked.requeueExpired("q", 3);
        checked.cancel("q", "j");
        checked.status("q", "j");
        checked.updateResultTtl("q", "j", d);
        checked.counts("q");
        checked.list("q", JobState.FAILED, 1);
        checked.subscribe("q", listener);
        checked.acquireLock("q", "l", "o", d);
        checked.renewLock("q", "l", "o", d);
        checked.releaseLock("q", "l", "o");
        checked.close();
        assertEquals(List.of("enqueue", "enqueueAsync", "enqueueBatch", "claim", "extend", "complete", "completeAll",
                "fail", "retry", "release", "unclaim", "requeueExpired", "cancel", "status", "updateResultTtl", "counts",
                "list", "subscribe", "acquireLock", "renewLock", "releaseLock", "close"), calls);
        for (int i = 0; i < expected.size(); i++) {
            Object[] want = expected.get(i);
            Object[] got = arguments.get(i);
            assertEquals(want.length, got.length, calls.get(i));
            for (int k = 0; k < want.length; k++) {
                assertSame(want[k], got[k], calls.get(i) + " argument " + k + " must be passed on as given");
            }
        }
    }

    @Test
    void namesMayHoldAnyWellFormedUtf16UpToTheLimit() {
        String longest = "x".repeat(CheckedStorage.MAX_NAME_LENGTH - 2) + "\uD83D\uDE00";
        for (String ok : List.of("😀", "a:b{c}/../d", " ", "\n", longest)) {
            checked.status("q", ok);
            checked.status(ok, "j");
        }
        for (String bad : Arrays.asList(null, "", longest + "x", "\uD83D", "\uDE00", "a\uD83Db", "\uDE00\uD83D")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> checked.status("q", bad));
            assertTrue(e.getMessage().startsWith("jobId "), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> checked.status(bad, "j"));
        }
        assertEquals(10, calls.size(), "only the valid calls reach the storage");
    }

    @Test
    void theNameRuleIsThereForCallersThatCheckEarly() {
        assertEquals("😀", CheckedStorage.requireValidName("😀", "id"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CheckedStorage.requireValidName("x\uD800", "workerId"));
        assertEquals("workerId must be well-formed UTF-16, got an unpaired surrogate \\uD800 at index 1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> CheckedStorage.requireValidName("x".repeat(CheckedStorage.MAX_NAME_LENGTH + 1), "id"));
        assertEquals("id must be at most 1024 UTF-16 chars, got 1025", e.getMessage());
    }
}
