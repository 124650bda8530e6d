package dev.jobqueue.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobError;
import dev.jobqueue.JobState;
import dev.jobqueue.ListOrder;
import dev.jobqueue.spi.CheckedStorage;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.EnqueueOutcome;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.JobTransitions;
import dev.jobqueue.spi.JobTransitions.Operation;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.NewJob;
import dev.jobqueue.spi.ScheduleRecord;
import dev.jobqueue.spi.StalledJob;
import dev.jobqueue.spi.Storage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * Model-based test of a {@link Storage}: jqwik generates random sequences of operations (enqueue,
 * enqueueBatch, claim, extend, complete, fail, retry, release, snooze, cancel (also of running
 * jobs), requeueExpired, updateResultTtl, retryJob, retryAll, deleteJob, purge, promote, setPaused,
 * upsertSchedule, removeSchedule, advanceSchedule, dueSchedules, clock advances, reopen) on a small
 * pool of job and schedule ids, runs each against the storage and against
 * {@link ReferenceModel}, and compares every answer; after every step it also compares the
 * status of every id (with payload, metadata and timing), the counts, the pause flag and the
 * listings (list, and listJobs in both orders, paged) and the schedules (listSchedules), and checks that each id's
 * state changed only as {@link JobTransitions} allows that step's operation (a claim may promote
 * a due job and then claim it; a clock step may only expire finished records). The storage is
 * called through {@link CheckedStorage}, as the library calls it; {@link #reopen} and
 * {@link #destroyStorage} get the storage {@link #createStorage} returned.
 *
 * <!-- snippet: storage-stateful-properties -->
 * <pre>{@code
 * class MyStorageStatefulProperties extends StorageStatefulProperties {
 *     private final Map<Storage, Path> dirs = new ConcurrentHashMap<>();
 *
 *     protected Storage createStorage(Clock clock) {
 *         try {
 *             return open(Files.createTempDirectory("stateful"), clock);
 *         } catch (IOException e) {
 *             throw new UncheckedIOException(e);
 *         }
 *     }
 *
 *     protected Storage reopen(Storage s, Clock clock) {   // optional: default no restart
 *         s.close();
 *         return open(dirs.remove(s), clock);
 *     }
 *
 *     private Storage open(Path dir, Clock clock) {
 *         Storage s = FileStorage.open(dir, FileStorageOptions.builder().clock(clock).build());
 *         dirs.put(s, dir);
 *         return s;
 *     }
 * }
 * }</pre>
 *
 * Durations are multiples of 250 ms and clock steps use the same grid, so sequences often land
 * exactly on deadlines (the "at or before now has passed" edge).
 */
public abstract class StorageStatefulProperties {
    private static final List<String> IDS = List.of("a", "b", "c", "d", "e:1", "{f}");
    private static final List<String> WORKERS = List.of("w1", "w2");

    private final List<Harness> harnesses = new ArrayList<>();

    /**
     * A new, empty storage whose deadlines follow {@code clock}.
     *
     * @param clock the manual clock the sequences advance
     * @return the storage; {@link #destroyStorage} releases it after the try
     */
    protected abstract Storage createStorage(Clock clock);

    /**
     * Called at random points of a sequence: a persistent storage closes {@code s} and opens it
     * again on the same data to show that state survives restarts. Default: no restart.
      *
      * @param s the storage to restart
      * @param clock the clock to reopen it on
      * @return the storage to go on with: {@code s} itself, or the reopened one
     */
    protected Storage reopen(Storage s, Clock clock) {
        return s;
    }

    /**
     * Releases the storage and whatever it holds (Redis: its keys).
     *
     * @param s the storage to release
     */
    protected void destroyStorage(Storage s) {
        s.close();
    }

    @Property(tries = 150)
    void storageAgreesWithTheReferenceModel(@ForAll("operationSequences") ActionChain<Harness> chain) {
        chain.withInvariant("storage agrees with the model", Harness::assertAgreement).run();
    }

    @AfterTry
    void destroyStorages() {
        for (Harness h : harnesses) {
            destroyStorage(h.created);
        }
        harnesses.clear();
    }

    @Provide
    Arbitrary<ActionChain<Harness>> operationSequences() {
        return ActionChain.<Harness>startWith(this::newHarness)
                .withAction(4, new Enqueue())
                .withAction(1, new EnqueueBatch())
                .withAction(4, new Claim())
                .withAction(1, new Extend())
                .withAction(2, new Complete())
                .withAction(1, new Fail())
                .withAction(1, new Retry())
                .withAction(1, new Release())
                .withAction(1, new Cancel())
                .withAction(2, new RequeueExpired())
                .withAction(1, new UpdateResultTtl())
                .withAction(1, new RetryJob())
                .withAction(1, new RetryAll())
                .withAction(1, new DeleteJob())
                .withAction(1, new Purge())
                .withAction(1, new Promote())
                .withAction(1, new SetPaused())
                .withAction(3, new AdvanceClock())
                .withAction(1, new Reopen())
                .withAction(1, new Snooze())
                .withAction(1, new UpsertSchedule())
                .withAction(1, new RemoveSchedule())
                .withAction(1, new AdvanceSchedule())
                .withAction(1, new DueSchedules())
                .withMaxTransformations(50);
    }

    private Harness newHarness() {
        ManualClock clock = new ManualClock();
        Harness h = new Harness(this, clock, createStorage(clock));
        harnesses.add(h);
        return h;
    }

    /** The storage under test, the model, and what the sequence has been handed so far. */
    static final class Harness {
        final StorageStatefulProperties suite;
        final ManualClock clock;
        final ReferenceModel model;
        final String queue = "stateful-" + UUID.randomUUID();
        /** Every lease a claim returned, current or long stale. */
        final List<LeaseRef> issuedLeases = new ArrayList<>();
        final Map<String, Long> highestToken = new HashMap<>();
        /** Each id's state after the previous step ({@code null}: no record). */
        final Map<String, JobState> lastSeen = new HashMap<>();
        /** The storage as its subclass made it: what reopen and destroyStorage get. */
        Storage created;
        /** {@link #created} behind {@link CheckedStorage}, as the library sees it: what the steps call. */
        Storage storage;
        /** The operations of the table the current step may make. */
        Operation[] step = {};

        Harness(StorageStatefulProperties suite, ManualClock clock, Storage storage) {
            this.suite = suite;
            this.clock = clock;
            this.created = storage;
            this.storage = CheckedStorage.of(storage);
            this.model = new ReferenceModel(clock);
        }

        /** Starts a step that may move jobs only by {@code operations} (in this order), as {@link JobTransitions} allows. */
        Harness step(Operation... operations) {
            this.step = operations;
            return this;
        }

        void enqueue(NewJob job) {
            EnqueueOutcome expected = model.enqueue(job);
            assertSameOutcome(expected, storage.enqueue(queue, job), "enqueue " + job.id());
        }

        void enqueueBatch(List<NewJob> jobs) {
            List<EnqueueOutcome> actual = storage.enqueueBatch(queue, jobs);
            assertEquals(jobs.size(), actual.size(), "enqueueBatch outcome count");
            for (int i = 0; i < jobs.size(); i++) {
                assertSameOutcome(model.enqueue(jobs.get(i)), actual.get(i), "enqueueBatch #" + i);
            }
        }

        private static void assertSameOutcome(EnqueueOutcome expected, EnqueueOutcome actual, String what) {
            assertEquals(expected.created(), actual.created(), what + ": created");
            if (!expected.created()) {
                SnapshotAssertions.assertSameRecord(expected.existing(), actual.existing(), what + ", existing");
            }
        }

        void claim(String worker, int max, Duration lease) {
            List<ClaimedJob> expected = model.claim(worker, max, lease);
            List<ClaimedJob> actual;
            try {
                actual = storage.claim(queue, worker, max, lease, Duration.ZERO);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("claim interrupted", e);
            }
            assertEquals(ids(expected), ids(actual), "claimed ids in order");
            for (int i = 0; i < expected.size(); i++) {
                ClaimedJob e = expected.get(i);
                ClaimedJob a = actual.get(i);
                assertEquals(e.attempt(), a.attempt(), "attempt of " + e.id());
                assertEquals(e.maxAttempts(), a.maxAttempts(), "maxAttempts of " + e.id());
                assertEquals(e.createdAt(), a.createdAt(), "createdAt of " + e.id());
                assertEquals(e.leaseDeadline(), a.leaseDeadline(), "leaseDeadline of " + e.id());
                assertArrayEquals(e.payload(), a.payload(), "payload of " + e.id());
                assertEquals(e.metadata(), a.metadata(), "metadata of " + e.id());
                assertEquals(e.readyAt(), a.readyAt(), "readyAt of " + e.id());
                assertEquals(e.claimedAt(), a.claimedAt(), "claimedAt of " + e.id());
                Long before = highestToken.get(a.id());
                assertTrue(before == null || a.fencingToken() > before,
                        "token " + a.fencingToken() + " of " + a.id() + " not above earlier " + before);
                highestToken.put(a.id(), a.fencingToken());
                model.assignToken(a.id(), a.fencingToken());
                issuedLeases.add(new LeaseRef(a.id(), a.fencingToken()));
            }
        }

        void requeueExpired(int limit) {
            List<JobSnapshot> candidates = model.expiredLeases();
            List<StalledJob> actual = storage.requeueExpired(queue, limit);
            assertEquals(Math.min(limit, candidates.size()), actual.size(), "number of reaped jobs " + actual);
            Map<String, Instant> deadlines = candidates.stream()
                    .collect(Collectors.toMap(JobSnapshot::id, JobSnapshot::leaseDeadline));
            List<Instant> reapedDeadlines = new ArrayList<>();
            for (StalledJob s : actual) {
                assertTrue(deadlines.containsKey(s.id()), "reaped " + s.id() + " whose lease had not ended");
                reapedDeadlines.add(deadlines.get(s.id()));
            }
            List<Instant> oldest = candidates.stream().map(JobSnapshot::leaseDeadline)
                    .limit(actual.size()).collect(Collectors.toList());
            assertEquals(oldest, reapedDeadlines, "reaped oldest deadlines first");
            for (StalledJob s : actual) {
                assertEquals(model.stall(s.id()), s, "stall of " + s.id());
            }
        }

        /**
         * retryAll: as many as the limit allows, the oldest of the state (ties in the storage's
         * order); the model retries the same jobs in the order the storage queued them.
         */
        void retryAll(JobState state, int limit) {
            Map<String, Long> keys = keysOf(state);
            int retried = storage.retryAll(queue, state, limit);
            assertEquals(Math.min(limit, keys.size()), retried, "retryAll " + state + " count");
            List<String> chosen = changed(keys.keySet(), JobState.QUEUED);
            assertEquals(retried, chosen.size(), "jobs retryAll moved to QUEUED: " + chosen);
            assertOldestFirst(keys, chosen, "retryAll " + state);
            List<String> queued = storage.list(queue, JobState.QUEUED, 100);
            chosen.sort(Comparator.comparingInt(queued::indexOf));
            chosen.forEach(model::retryJob);
        }

        /** purge: as many as the limit allows, the oldest of the state (ties in the storage's order). */
        void purge(JobState state, int limit) {
            Map<String, Long> keys = keysOf(state);
            int purged = storage.purge(queue, state, limit);
            assertEquals(Math.min(limit, keys.size()), purged, "purge " + state + " count");
            List<String> chosen = changed(keys.keySet(), null);
            assertEquals(purged, chosen.size(), "jobs purge deleted: " + chosen);
            assertOldestFirst(keys, chosen, "purge " + state);
            chosen.forEach(model::deleteJob);
        }

        /** The model's jobs in {@code state} with their listing keys. */
        private Map<String, Long> keysOf(JobState state) {
            Map<String, Long> keys = new HashMap<>();
            for (String id : model.idsIn(state)) {
                keys.put(id, model.listingKey(id));
            }
            return keys;
        }

        /** The ids whose state in the storage is now {@code state} ({@code null}: gone). */
        private List<String> changed(java.util.Set<String> ids, JobState state) {
            List<String> out = new ArrayList<>();
            for (String id : ids) {
                if (storage.status(queue, id).map(JobSnapshot::state).orElse(null) == state) {
                    out.add(id);
                }
            }
            return out;
        }

        private static void assertOldestFirst(Map<String, Long> keys, List<String> chosen, String what) {
            long newestChosen = chosen.stream().mapToLong(keys::get).max().orElse(Long.MIN_VALUE);
            for (Map.Entry<String, Long> e : keys.entrySet()) {
                assertTrue(chosen.contains(e.getKey()) || e.getValue() >= newestChosen,
                        what + " passed over " + e.getKey() + ", older than one it took: " + chosen + " of " + keys);
            }
        }

        void reopen() {
            // destroyStorages() reads this field, so it releases whichever instance is current.
            created = suite.reopen(created, clock);
            storage = CheckedStorage.of(created);
        }

        /**
         * Everything observable agrees: each id's record, the counts, and the listings; and each
         * id's state changed since the previous step only as {@link JobTransitions} allows the step.
         */
        void assertAgreement() {
            for (String id : IDS) {
                Optional<JobSnapshot> expected = model.status(id);
                Optional<JobSnapshot> actual = storage.status(queue, id);
                assertEquals(expected.isPresent(), actual.isPresent(),
                        "status of " + id + " present; expected " + expected + " but was " + actual);
                expected.ifPresent(e -> SnapshotAssertions.assertSameFullRecord(e, actual.get(), "status"));
                JobState before = lastSeen.get(id);
                JobState now = actual.map(JobSnapshot::state).orElse(null);
                assertTrue(TransitionChecks.allowed(before, now, step), id + " went " + before + " -> " + now
                        + " in a step of " + Arrays.toString(step) + ", which JobTransitions does not allow");
                lastSeen.put(id, now);
            }
            step = new Operation[0];
            assertEquals(model.counts(), storage.counts(queue), "counts");
            assertEquals(model.queuedInClaimOrder(), storage.list(queue, JobState.QUEUED, 100), "QUEUED listing");
            for (JobState s : JobState.values()) {
                if (s != JobState.QUEUED) {
                    List<String> listed = new ArrayList<>(storage.list(queue, s, 100));
                    listed.sort(Comparator.naturalOrder());
                    assertEquals(model.idsIn(s), listed, s + " listing");
                }
                assertListJobsAgrees(s);
            }
            assertEquals(model.isPaused(), storage.isPaused(queue), "isPaused");
            assertEquals(model.listSchedules(), storage.listSchedules(queue), "listSchedules");
        }

        /**
         * dueSchedules: the first {@code limit} due schedules, earliest first; among schedules with
         * the same fire time the storage picks and orders as it likes.
         */
        void dueSchedules(int limit) {
            List<ScheduleRecord> due = model.dueSchedules();
            List<ScheduleRecord> actual = storage.dueSchedules(queue, limit);
            assertEquals(Math.min(limit, due.size()), actual.size(), "number of due schedules " + actual + " of " + due);
            assertEquals(due.stream().limit(limit).map(ScheduleRecord::nextFireAt).toList(),
                    actual.stream().map(ScheduleRecord::nextFireAt).toList(), "due schedules earliest first");
            for (ScheduleRecord r : actual) {
                assertTrue(due.contains(r), "dueSchedules returned " + r + ", not a due schedule of " + due);
            }
            assertEquals(actual.size(), actual.stream().map(ScheduleRecord::id).distinct().count(), "duplicates in " + actual);
        }

        /** listJobs of {@code state}, paged, in both orders: the model's jobs, in its order, as status has them. */
        private void assertListJobsAgrees(JobState state) {
            List<JobSnapshot> oldest = Listings.all(storage, queue, state, ListOrder.OLDEST_FIRST, 2);
            List<String> ids = Listings.ids(oldest);
            assertEquals(Listings.reversed(ids), Listings.ids(storage, queue, state, ListOrder.NEWEST_FIRST, 3),
                    state + " listJobs NEWEST_FIRST is the reverse of OLDEST_FIRST");
            List<String> sorted = new ArrayList<>(ids);
            sorted.sort(Comparator.naturalOrder());
            assertEquals(model.idsIn(state), sorted, state + " listJobs");
            long previous = Long.MIN_VALUE;
            for (JobSnapshot s : oldest) {
                long key = model.listingKey(s.id());
                assertTrue(key >= previous, state + " listJobs order at " + s.id() + ": " + ids);
                previous = key;
                SnapshotAssertions.assertSameFullRecord(model.status(s.id()).orElseThrow(), s, "listJobs");
            }
        }

        @Override
        public String toString() {
            return "Harness[" + queue + " at " + clock.instant() + "]";
        }
    }

    private static List<String> ids(List<ClaimedJob> claimed) {
        return claimed.stream().map(ClaimedJob::id).collect(Collectors.toList());
    }

    // ------------------------------------------------------------------ generators

    private static Arbitrary<String> ids() {
        return Arbitraries.of(IDS);
    }

    /** A multiple of 250 ms from {@code values}. */
    private static Arbitrary<Duration> millis(Integer... values) {
        return Arbitraries.of(values).map(Duration::ofMillis);
    }

    private static Arbitrary<byte[]> smallBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(8);
    }

    /** A job description; runAt offsets are resolved against the clock when the step runs. */
    private record JobSpec(String id, byte[] payload, int priority, Duration delay, Integer runAtOffsetMillis,
                           int maxAttempts, int maxStalls, Duration ttl, Map<String, String> metadata) {
        JobSpec(String id, byte[] payload, int priority, Duration delay, Integer runAtOffsetMillis,
                int maxAttempts, int maxStalls, Duration ttl) {
            this(id, payload, priority, delay, runAtOffsetMillis, maxAttempts, maxStalls, ttl, Map.of());
        }

        JobSpec withMetadata(Map<String, String> metadata) {
            return new JobSpec(id, payload, priority, delay, runAtOffsetMillis, maxAttempts, maxStalls, ttl, metadata);
        }

        NewJob toJob(Clock clock) {
            Instant runAt = runAtOffsetMillis == null ? null : Instant.ofEpochMilli(clock.millis() + runAtOffsetMillis);
            return new NewJob(id, payload, priority, delay, runAt, maxAttempts, maxStalls, ttl, false, metadata);
        }

        @Override
        public String toString() {
            return id + "(prio " + priority + ", delay " + delay.toMillis() + "ms, runAt "
                    + (runAtOffsetMillis == null ? "-" : "now" + (runAtOffsetMillis >= 0 ? "+" : "") + runAtOffsetMillis + "ms")
                    + ", maxAttempts " + maxAttempts + ", maxStalls " + maxStalls + ", ttl " + ttl.toMillis() + "ms"
                    + (metadata.isEmpty() ? "" : ", metadata " + metadata) + ")";
        }
    }

    private static Arbitrary<JobSpec> jobSpecs() {
        Arbitrary<Integer> runAtOffsets = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.just((Integer) null)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(-1000, 0, 750)));
        return Combinators.combine(ids(), smallBytes(), Arbitraries.integers().between(-1, 1),
                millis(0, 0, 0, 500, 1000, 3000), runAtOffsets, Arbitraries.integers().between(1, 3),
                Arbitraries.integers().between(0, 2), millis(500, 1000, 5000)).as(JobSpec::new)
                .flatMap(spec -> metadata().map(spec::withMetadata));
    }

    private static Arbitrary<Map<String, String>> metadata() {
        return Arbitraries.of(Map.<String, String>of(), Map.of("tenant", "acme"),
                Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "\u00e9", "\uD83D\uDE00"));
    }

    private static Arbitrary<JobError> errors() {
        return Combinators.combine(Arbitraries.of("boom", "timeout", "bad input"),
                Arbitraries.of("E1", "E2").injectNull(0.5), Arbitraries.integers().between(1, 3))
                .as((message, code, attempts) -> new JobError("java.lang.RuntimeException", message,
                        "java.lang.RuntimeException: " + message + "\n\tat Handler.run(Handler.java:1)\n", code, attempts,
                        ManualClock.START.plusMillis(attempts)));
    }

    // ------------------------------------------------------------------ actions

    private static final class Enqueue implements Action.Independent<Harness> {
        @Override
        public Arbitrary<Transformer<Harness>> transformer() {
            return jobSpecs().map(spec -> Transformer.mutate("enqueue " + spec,
                    h -> h.step(Operation.ENQUEUE).enqueue(spec.toJob(h.clock))));
        }
    }

    private static final class EnqueueBatch implements Action.Independent<Harness> {
        @Override
        public Arbitrary<Transformer<Harness>> transformer() {
            return jobSpecs().list().ofMinSize(1).ofMaxSize(4).map(specs -> Transformer.mutate(
                    "enqueueBatch " + specs,
                    h -> h.step(Operation.ENQUEUE).enqueueBatch(specs.stream().map(s -> s.toJob(h.clock)).collect(Collectors.toList()))));
        }
    }

    private static final class Claim implements Action.Independent<Harness> {
        @Override
        public Arbitrary<Transformer<Harness>> transformer() {
            return Combinators.combine(Arbitraries.of(WORKERS), Arbitraries.integers().between(1, 3),
                    millis(500, 1000, 2000)).as((worker, max, lease) -> Transformer.mutate(
                    "claim " + max + " by " + worker + " lease " + lease.toMillis() + "ms",
                    h -> h.step(Operation.PROMOTE, Operation.CLAIM).claim(worker, max, lease)));
        }
    }

    /** Actions that use leases handed out earlier (current or stale). */
    private abstract static class WithLease implements Action.Dependent<Harness> {
        @Override
        public boolean precondition(Harness h) {
            return !h.issuedLeases.isEmpty();
        }

        Arbitrary<LeaseRef> leases(Harness h) {
            // Favour recent leases: they are the ones most likely still current.
            List<LeaseRef> all = h.issuedLeases;
            List<LeaseRef> recent = all.subList(Math.max(0, all.size() - 4), all.size());
            return Arbitraries.frequencyOf(
                    net.jqwik.api.Tuple.of(3, Arbitraries.of(List.copyOf(recent))),
                    net.jqwik.api.Tuple.of(1, Arbitraries.of(List.copyOf(all))));
        }
    }

    private static final class Extend extends WithLease {
        @Override
        public Arbitrary<Transformer<Harness>> transformer(Harness h) {
            return Combinators.combine(leases(h).list().ofMinSize(1).ofMaxSize(3), millis(500, 1000, 2000))
                    .as((refs, lease) -> Transformer.mutate("extend " + refs + " by " + lease.toMillis() + "ms",
                            s -> assertEquals(s.model.extend(refs, lease), s.storage.extend(s.queue, refs, lease),
                                    "lost leases")));
        }
    }

    private static final class Complete extends WithLease {
        @Override
        public Arbitrary<Transformer<Harness>> transformer(Harness h) {
            return Combinators.combine(leases(h), smallBytes(), millis(500, 3000).injectNull(0.5))
                    .as((ref, result, ttl) -> Transformer.mutate("complete " + ref + " ttl " + ttl,
                            s -> assertEquals(s.step(Operation.COMPLETE).model.complete(ref, result, ttl),
                                    s.storage.complete(s.queue, ref, result, ttl), "complete outcome")));
        }
    }

    private static final class Fail extends WithLease {
        @Override
        public Arbitrary<Transformer<Harness>> transformer(Harness h) {
            return Combinators.combine(leases(h), errors(), millis(500, 3000).injectNull(0.5))
                    .as((ref, error, ttl) -> Transformer.mutate("fail " + ref + " ttl " + ttl,
                            s -> assertEquals(s.step(Operation.FAIL).model.fail(ref, error, ttl),
                                    s.storage.fail(s.queue, ref, error, ttl), "fail outcome")));
        }
    }

    private static final class Retry extends WithLease {
        @Override
        public Arbitrary<Transformer<Harness>> transformer(Harness h) {
            return Combinators.combine(leases(h), errors(), millis(0, 250, 1000))
                    .as((ref, error, backoff) -> Transformer.mutate("retry " + ref + " backoff " + backoff.toMillis() + "ms",
                            s -> assertEquals(s.step(Operation.RETRY).model.retry(ref, backoff, error),
                                    s.storage.retry(s.queue, ref, backoff, error), "retry outcome")));
        }
    }

    private static final class Release extends WithLease {
        @Override
        public Arbitrary<Transformer<Harness>> transformer(Harness h) {
            return leases(h).map(ref -> Transformer.mutate("release " + ref,
                    s -> assertEquals(s.step(Operation.RELEASE).model.release(ref), s.storage.release(s.queue, ref),
                            "release outcome")));
        }
    }

    private static final class Cancel implements Action.Independent<Harness> {
        @Override
        public Arbitrary<Transformer<Harness>> transformer() {
            return ids().map(id -> Transformer.mutate("cancel " + id,
                    h -> assertEquals(h.step(Operation.CANCEL).model.cancel(id), h.storage.cancel(h.queue, id), "cancel " + id)));
        }
    }

    private static final class RequeueExpired implements Action.Independent<Harness> {
        @Override
        public Arbitrary<Transformer<Harness>> transformer() {
            return Arbitraries.integers().between(1, 5).map(limit -> Transformer.mutate(
                    "requeueExpired limit " + limit, h -> h.step(Operation.STALL).requeueExpired(limit)));
        }
    }

    private static final class UpdateResultTtl implements Action.Independent<Harness> {
        @Override
        public Arbitrary<Transformer<Harness>> transformer() {
            return Combinators.combine(ids(), millis(250, 1000, 5000)).as((id, ttl) -> Transformer.mutate(
                    "updateResultTtl " + id + " " + ttl.toMillis() + "ms",
                    h -> assertEquals(h.model.updateResultTtl(id, ttl), h.storage.updateResultTtl(h.queue, id, ttl),
                            "updateResultTtl " + id)));
        }
    }

    private static final class AdvanceClock implements Action.Independent<Harness> {
        @Override
        public Arbitrary<Transformer<Harness>> transformer() {
            return millis(0, 250, 500, 1000, 2500).map(step -> Transformer.mutate(
                    "advance clock " + step.toMillis() + "ms", h -> h.step(Operation.EXPIRE).clock.advance(step)));
        }
    }

    private static final class RetryJob implements Action.Independent<Harness> {
        @Override
        public Arbitrary<Transformer<Harness>> transformer() {
            return ids().map(id -> Transformer.mutate("retryJob " + id,
                    h -> assertEquals(h.step(Operation.RETRY_JOB).model.retryJob(id), h.storage.retryJob(h.queue, id),
                            "retryJob " + id)));
        }
    }

    private static final class RetryAll implements Action.Independent<Harness> {
        @Override
        public Arbitrary<Transformer<Harness>> transformer() {
            return Combinators.combine(Arbitraries.of(JobState.FAILED, JobState.CANCELLED), Arbitraries.integers().between(1, 3))
                    .as((state, limit) -> Transformer.mutate("retryAll " + state + " limit " + limit,
                            h -> h.step(Operation.RETRY_JOB).retryAll(state, limit)));
        }
    }

    private static final class DeleteJob implements Action.Independent<Harness> {
        @Override
        public Arbitrary<Transformer<Harness>> transformer() {
            return ids().map(id -> Transformer.mutate("deleteJob " + id,
                    h -> assertEquals(h.step(Operation.DELETE).model.deleteJob(id), h.storage.deleteJob(h.queue, id),
                            "deleteJob " + id)));
        }
    }

    private static final class Purge implements Action.Independent<Harness> {
        @Override
        public Arbitrary<Transformer<Harness>> transformer() {
            return Combinators.combine(Arbitraries.of(JobState.values()).filter(s -> s != JobState.PROCESSING),
                    Arbitraries.integers().between(1, 3)).as((state, limit) -> Transformer.mutate(
                    "purge " + state + " limit " + limit, h -> h.step(Operation.DELETE).purge(state, limit)));
        }
    }

    private static final class Promote implements Action.Independent<Harness> {
        @Override
        public Arbitrary<Transformer<Harness>> transformer() {
            return ids().map(id -> Transformer.mutate("promote " + id,
                    h -> assertEquals(h.step(Operation.PROMOTE).model.promote(id), h.storage.promote(h.queue, id),
                            "promote " + id)));
        }
    }

    private static final class SetPaused implements Action.Independent<Harness> {
        @Override
        public Arbitrary<Transformer<Harness>> transformer() {
            return Arbitraries.of(true, false).map(pause -> Transformer.mutate(pause ? "pause" : "resume",
                    h -> assertEquals(h.model.setPaused(pause), h.storage.setPaused(h.queue, pause), "setPaused " + pause)));
        }
    }

    private static final class Snooze extends WithLease {
        @Override
        public Arbitrary<Transformer<Harness>> transformer(Harness h) {
            return Combinators.combine(leases(h), millis(0, 250, 1000))
                    .as((ref, delay) -> Transformer.mutate("snooze " + ref + " for " + delay.toMillis() + "ms",
                            s -> assertEquals(s.step(Operation.SNOOZE).model.snooze(ref, delay),
                                    s.storage.snooze(s.queue, ref, delay), "snooze outcome")));
        }
    }

    private static final List<String> SCHEDULE_IDS = List.of("s1", "s:2", "{s3}");

    private static Arbitrary<byte[]> definitions() {
        return Arbitraries.of(new byte[0], new byte[] {1}, new byte[] {1, 0}, new byte[] {(byte) 0xFF, 0x7B, 0x7D});
    }

    private static final class UpsertSchedule implements Action.Independent<Harness> {
        @Override
        public Arbitrary<Transformer<Harness>> transformer() {
            return Combinators.combine(Arbitraries.of(SCHEDULE_IDS), definitions(), Arbitraries.of(-1000, 0, 250, 1000))
                    .as((id, definition, offset) -> Transformer.mutate(
                            "upsertSchedule " + id + " " + Arrays.toString(definition) + " at now" + (offset >= 0 ? "+" : "")
                                    + offset + "ms",
                            h -> {
                                Instant fire = h.clock.instant().plusMillis(offset);
                                assertEquals(h.model.upsertSchedule(id, definition, fire),
                                        h.storage.upsertSchedule(h.queue, id, definition, fire), "upsertSchedule " + id);
                            }));
        }
    }

    private static final class RemoveSchedule implements Action.Independent<Harness> {
        @Override
        public Arbitrary<Transformer<Harness>> transformer() {
            return Arbitraries.of(SCHEDULE_IDS).map(id -> Transformer.mutate("removeSchedule " + id,
                    h -> assertEquals(h.model.removeSchedule(id), h.storage.removeSchedule(h.queue, id), "removeSchedule " + id)));
        }
    }

    private static final class AdvanceSchedule implements Action.Independent<Harness> {
        @Override
        public Arbitrary<Transformer<Harness>> transformer() {
            // A version offset of 0 is the current version (the advance wins), else a stale or future one.
            return Combinators.combine(Arbitraries.of(SCHEDULE_IDS), Arbitraries.of(0, 0, 0, -1, 1),
                    Arbitraries.of(-250, 0, 500, 1000)).as((id, versionOffset, offset) -> Transformer.mutate(
                    "advanceSchedule " + id + " version current" + (versionOffset >= 0 ? "+" : "") + versionOffset
                            + " to now" + (offset >= 0 ? "+" : "") + offset + "ms",
                    h -> {
                        long version = Math.max(1, h.model.scheduleVersion(id).orElse(1L) + versionOffset);
                        Instant fire = h.clock.instant().plusMillis(offset);
                        assertEquals(h.model.advanceSchedule(id, version, fire),
                                h.storage.advanceSchedule(h.queue, id, version, fire), "advanceSchedule " + id);
                    }));
        }
    }

    private static final class DueSchedules implements Action.Independent<Harness> {
        @Override
        public Arbitrary<Transformer<Harness>> transformer() {
            return Arbitraries.integers().between(1, 3).map(limit -> Transformer.mutate("dueSchedules limit " + limit,
                    h -> h.dueSchedules(limit)));
        }
    }

    private static final class Reopen implements Action.Independent<Harness> {
        @Override
        public Arbitrary<Transformer<Harness>> transformer() {
            return Arbitraries.just(Transformer.mutate("reopen storage", Harness::reopen));
        }
    }
}
