/**
 * The storage SPI: what a storage implements so that {@link dev.jobqueue.Queue} and
 * {@link dev.jobqueue.Reaper} run on it. Start at {@link dev.jobqueue.spi.Storage}.
 */
package dev.jobqueue.spi;
