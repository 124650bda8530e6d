/**
 * JMH micro-benchmarks of the hot paths the workload harness exercises: payload serde, a
 * MemoryStorage enqueue/claim/complete cycle, the FileStorage journal append with group commit,
 * and RedisStorage script round trips. Run them with {@code benchmarks/jmh} (arguments go to JMH).
 */
package dev.jobqueue.benchmarks.jmh;
