/**
 * The job queue's API ({@code dev.jobqueue}), storage SPI ({@code dev.jobqueue.spi}) and in-memory
 * storage ({@code dev.jobqueue.memory}). The worker runtime ({@code dev.jobqueue.internal}) is not
 * exported: applications on the module path cannot reach it. An application module says
 * {@code requires dev.jobqueue.core;} (and {@code requires dev.jobqueue.file;} or
 * {@code requires dev.jobqueue.redis;}, the storages' automatic module names), and opens the
 * packages of its payload and result types to {@code com.fasterxml.jackson.databind} when it uses
 * the default JSON serde.
 */
@SuppressWarnings("requires-automatic") // cron-utils has only an Automatic-Module-Name; its API is not exported by ours
module dev.jobqueue.core {
    // Transitive: TypeReference (Queue.builder, Serde.json) and Logger (builders) are in the API.
    requires transitive com.fasterxml.jackson.databind;
    requires transitive org.slf4j;
    // The default worker id names the process (RuntimeMXBean).
    requires java.management;
    // Cron expressions of recurring schedules (internal only: no cron-utils type is in the API).
    requires com.cronutils;

    // Lets the JSON serde find the Jackson modules (e.g. java.time support) an application puts
    // on its path with ServiceLoader, which on the module path needs this declaration.
    uses com.fasterxml.jackson.databind.Module;

    exports dev.jobqueue;
    exports dev.jobqueue.spi;
    exports dev.jobqueue.memory;
}
