/**
 * {@link dev.jobqueue.memory.MemoryStorage}: the in-process storage for tests, development and
 * embedded single-process applications.
 *
 * <!-- snippet: memory-package -->
 * <pre>{@code
 * Storage storage = new MemoryStorage();
 * }</pre>
 */
package dev.jobqueue.memory;
