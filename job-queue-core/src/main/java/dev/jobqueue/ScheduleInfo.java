package dev.jobqueue;

import java.time.Instant;

/**
 * A recurring schedule as stored, with its next fire time: what {@link Schedules#list()} and
 * {@link Schedules#upsert} return.
 *
 * <!-- snippet: schedule-info -->
 * <pre>{@code
 * for (ScheduleInfo<Report> s : queue.schedules().list()) {
 *     System.out.println(s.id() + " next at " + s.nextFireAt() + ": " + s.schedule());
 * }
 * }</pre>
 *
 * @param <P> the payload type
 * @param id the schedule's id
 * @param schedule the schedule, or {@code null} when its stored definition could not be read by
 *        this queue (see {@code decodeError})
 * @param nextFireAt when it fires next
 * @param decodeError why the definition could not be read (e.g. a payload this queue's serde
 *        rejects), or {@code null}
 */
public record ScheduleInfo<P>(String id, Schedule<P> schedule, Instant nextFireAt, String decodeError) {
}
