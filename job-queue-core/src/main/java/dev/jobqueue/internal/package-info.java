/**
 * The runtime behind {@link dev.jobqueue.Queue} and {@link dev.jobqueue.Reaper}: claimer loop,
 * handler threads, heartbeat, outcome recording, waiters for request/response, reaper scheduling.
 * Not API: types here may change in any release.
 */
package dev.jobqueue.internal;
