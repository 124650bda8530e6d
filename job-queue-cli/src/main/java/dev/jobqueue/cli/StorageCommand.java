package dev.jobqueue.cli;

import dev.jobqueue.spi.Storage;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** A command that opens the target storage, runs, and closes it again. */
abstract class StorageCommand implements Callable<Integer> {
    @Mixin
    TargetOptions target;

    @Option(names = "--json", description = "Print one JSON document on stdout (field names in the README).")
    boolean json;

    @Spec
    CommandSpec spec;

    @ParentCommand
    JobQueueCommand root;

    @Override
    public final Integer call() {
        Output out = new Output(spec.commandLine().getOut(), spec.commandLine().getErr(), json);
        try (Storage storage = target.open(root.env())) {
            return execute(storage, out);
        } finally {
            out.flush();
        }
    }

    /**
     * Runs the command on the open storage.
     *
     * @return the exit code
     */
    abstract int execute(Storage storage, Output out);
}
