package dev.jobqueue.file;

import dev.jobqueue.spi.ClaimedJob;
import java.time.Instant;
import java.util.List;

/**
 * What one claim step found: the jobs taken, and when the queue's earliest scheduled job becomes
 * due ({@code null} when none), so an empty-handed claimer knows how long it may sleep.
 */
record ClaimAttempt(List<ClaimedJob> jobs, Instant nextDue) {
}
