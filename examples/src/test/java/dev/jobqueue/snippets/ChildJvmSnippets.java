package dev.jobqueue.snippets;

import dev.jobqueue.contract.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The example in the Javadoc of the testkit's ChildJvm: compiled, never run. */
@SuppressWarnings("unused")
abstract class ChildJvmSnippets {
    Path dir;

    /** Stands for a crash test's child program. */
    static final class Worker {
        public static void main(String[] args) {
        }
    }

    void childJvm() throws InterruptedException {
        // snippet: child-jvm
        try (ChildJvm child = ChildJvm.start(Worker.class, dir.toString(), "queue-1")) {
            child.awaitLine("ready", Duration.ofSeconds(60));
            child.kill(); // SIGKILL, like a crash
            List<String> printed = child.lines();
        }
        // end-snippet
    }
}
