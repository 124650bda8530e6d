/** End-to-end workload harness (W1, W2, W3) and JMH micro-benchmarks. */
package dev.jobqueue.benchmarks;
