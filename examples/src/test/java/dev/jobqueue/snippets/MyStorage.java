package dev.jobqueue.snippets;

import dev.jobqueue.contract.FaultInjectingStorage;
import dev.jobqueue.memory.MemoryStorage;
import java.time.Clock;

/** Stands for a third party's storage in the examples: here a MemoryStorage behind a forwarding wrapper. */
final class MyStorage extends FaultInjectingStorage {

    MyStorage() {
        this(Clock.systemUTC());
    }

    MyStorage(Clock clock) {
        super(new MemoryStorage(clock));
    }

    static MyStorage open(Clock clock) {
        return new MyStorage(clock);
    }
}
