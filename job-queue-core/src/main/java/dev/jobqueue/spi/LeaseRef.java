package dev.jobqueue.spi;

/** Names one claim: the job id and the fencing token the claim was given. */
public record LeaseRef(String jobId, long fencingToken) {
}
