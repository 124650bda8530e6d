/**
 * The storage SPI: what a storage implements so that {@link dev.jobqueue.Queue} and
 * {@link dev.jobqueue.Reaper} run on it. Start at {@link dev.jobqueue.spi.Storage}; the library
 * calls every storage through {@link dev.jobqueue.spi.CheckedStorage}, which checks arguments once
 * for all storages, and {@link dev.jobqueue.spi.JobTransitions} lists the state changes a storage
 * makes.
 *
 * <!-- snippet: spi-package -->
 * <pre>{@code
 * Storage storage = CheckedStorage.of(new MyStorage());
 * }</pre>
 */
package dev.jobqueue.spi;
