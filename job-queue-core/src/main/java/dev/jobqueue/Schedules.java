package dev.jobqueue;

import static dev.jobqueue.Arguments.notNull;

import dev.jobqueue.internal.ScheduleCodec;
import dev.jobqueue.spi.ScheduleRecord;
import dev.jobqueue.spi.Storage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The recurring schedules of one queue, kept in its storage and shared by every process of the
 * queue: {@link Queue#schedules()}. Changes take effect everywhere from the next poll of each
 * started queue ({@link Queue.Builder#schedulePollInterval}, default 1 s).
 *
 * <!-- snippet: schedules -->
 * <pre>{@code
 * Schedules<Report> schedules = queue.schedules();
 * schedules.upsert(Schedule.<Report>cron("nightly-report", "0 3 * * *").payload(new Report("sales")));
 * schedules.remove("old-report");          // jobs it already enqueued stay
 * schedules.list().forEach(s -> System.out.println(s.id() + " -> " + s.nextFireAt()));
 * }</pre>
 *
 * @param <P> the payload type of the queue
 */
public final class Schedules<P> {
    private final Storage storage;
    private final String queue;
    private final Serde<P> payloadSerde;
    private final Clock clock;

    Schedules(Storage storage, String queue, Serde<P> payloadSerde, Clock clock) {
        this.storage = storage;
        this.queue = queue;
        this.payloadSerde = payloadSerde;
        this.clock = clock;
    }

    /**
     * Creates or changes a schedule. Idempotent: upserting an equal schedule (every process may
     * do so at start-up) changes nothing, its next fire time included. A changed schedule fires
     * next at its first new fire time after now; jobs already enqueued stay.
     *
     * @param schedule the schedule
     * @return the schedule as stored, with its next fire time
     */
    public ScheduleInfo<P> upsert(Schedule<? extends P> schedule) {
        notNull(schedule, "schedule");
        byte[] definition = ScheduleCodec.encode(schedule, payloadSerde);
        ScheduleRecord r = storage.upsertSchedule(queue, schedule.id(), definition,
                schedule.nextFireAfter(clock.instant()));
        return info(r);
    }

    /**
     * Removes a schedule; jobs it already enqueued stay.
     *
     * @param id the schedule's id
     * @return whether it existed
     */
    public boolean remove(String id) {
        notNull(id, "id");
        return storage.removeSchedule(queue, id);
    }

    /**
     * Every schedule of the queue, sorted by id. A schedule whose stored definition this queue
     * cannot read (e.g. written with another payload type) is listed with its
     * {@link ScheduleInfo#decodeError()}.
     *
     * @return the schedules
     */
    public List<ScheduleInfo<P>> list() {
        List<ScheduleInfo<P>> out = new ArrayList<>();
        for (ScheduleRecord r : storage.listSchedules(queue)) {
            out.add(info(r));
        }
        return out;
    }

    private ScheduleInfo<P> info(ScheduleRecord r) {
        try {
            return new ScheduleInfo<>(r.id(), ScheduleCodec.decode(r.id(), r.definition(), payloadSerde), r.nextFireAt(), null);
        } catch (RuntimeException e) {
            return new ScheduleInfo<>(r.id(), null, r.nextFireAt(), e.toString());
        }
    }

    @Override
    public String toString() {
        return "Schedules[" + queue + "]";
    }
}
