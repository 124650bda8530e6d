package dev.jobqueue.opentelemetry;

import dev.jobqueue.memory.MemoryStorage;
import dev.jobqueue.spi.Storage;

/** Tracing across a producer and a worker queue on one MemoryStorage. */
class MemoryTracingAcrossQueuesTest extends TracingAcrossQueuesContract {
    private final MemoryStorage storage = new MemoryStorage();

    @Override
    Storage producerStorage() {
        return storage;
    }

    @Override
    Storage workerStorage() {
        return storage;
    }

    @Override
    String queueName() {
        return "traced";
    }

    @Override
    void closeStorages() {
        storage.close();
    }
}
