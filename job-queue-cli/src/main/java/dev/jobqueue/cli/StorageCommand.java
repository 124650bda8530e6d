package dev.jobqueue.cli;

import dev.jobqueue.spi.Storage;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** A command that opens the target storage, runs, and closes it again. */
abstract class StorageCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ParentCommand
    JobQueueCommand root;

    /** The target the options name (given before or after the command's name). */
    final TargetOptions target() {
        return root.target;
    }

    @Override
    public final Integer call() {
        Output out = new Output(spec.commandLine().getOut(), spec.commandLine().getErr(), root.json);
        try (Storage storage = root.target.open(root.env())) {
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
