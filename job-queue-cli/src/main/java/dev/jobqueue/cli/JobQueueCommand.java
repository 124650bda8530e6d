package dev.jobqueue.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The top command: only help and version of its own; everything else is a subcommand. */
@Command(name = "jobqueue", mixinStandardHelpOptions = true, versionProvider = JobQueueCommand.Version.class,
        description = "Look at and repair the jobs of a job-queue storage (Redis or file directory).",
        subcommands = {StatsCommand.class, ListCommand.class, ShowCommand.class, RetryCommand.class, DeleteCommand.class,
                PurgeCommand.class, PromoteCommand.class, PauseCommand.class, ResumeCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 refused or not found (nothing changed), 2 usage error,",
                "3 cannot open or reach the target, 4 unexpected failure."})
final class JobQueueCommand implements Callable<Integer> {
    private final Map<String, String> env;

    @Spec
    CommandSpec spec;

    @Mixin
    TargetOptions target;

    @Option(names = "--json", scope = ScopeType.INHERIT,
            description = "Print one JSON document on stdout (field names in the README).")
    boolean json;

    JobQueueCommand(Map<String, String> env) {
        this.env = env;
    }

    Map<String, String> env() {
        return env;
    }

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }

    /** The version of the jar (from its manifest when packaged). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = JobQueueCommand.class.getPackage().getImplementationVersion();
            return new String[] {"jobqueue " + (version == null ? "(development build)" : version)};
        }
    }
}
