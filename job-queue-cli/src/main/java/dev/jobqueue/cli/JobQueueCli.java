package dev.jobqueue.cli;

import dev.jobqueue.redis.RedisStorageException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine;

/**
 * The {@code jobqueue} command line: look at and repair the jobs of a Redis or file storage
 * through the operations API ({@code stats}, {@code list}, {@code show}, {@code retry},
 * {@code delete}, {@code purge}, {@code promote}, {@code pause}, {@code resume}).
 *
 * <p>Run the shaded jar, e.g.
 * {@code java -jar job-queue-cli-0.1.0-SNAPSHOT-all.jar list failed --queue emails --redis redis://127.0.0.1:6379};
 * the README's section "Command line" lists the commands, the {@code --json} fields and the exit
 * codes (0 ok, 1 refused or not found, 2 usage error, 3 cannot open or reach the target, 4
 * unexpected failure). Passwords in a target URI are never printed.
 */
public final class JobQueueCli {
    private JobQueueCli() {
    }

    /**
     * Runs one command and exits the JVM with its exit code.
     *
     * @param args the command and its options, e.g. {@code stats --redis redis://127.0.0.1:6379}
     */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(args, out, err, System.getenv()));
    }

    /**
     * Runs one command without exiting the JVM: for tests and for embedding the tool.
     *
     * @param args the command and its options
     * @param out  where the command's output goes (text, or one JSON document with {@code --json})
     * @param err  where error messages and notes go
     * @param env  the environment to read {@code JOBQUEUE_REDIS_URL} from
     * @return the exit code: 0 ok, 1 refused or not found, 2 usage error, 3 cannot open or reach
     *         the target, 4 unexpected failure
     * @throws IllegalArgumentException when an argument is null
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
        if (args == null || out == null || err == null || env == null) {
            throw new IllegalArgumentException("args, out, err and env must not be null");
        }
        for (String arg : args) {
            Objects.requireNonNull(arg, "args must not contain null");
        }
        List<String> texts = new ArrayList<>(Arrays.asList(args));
        texts.add(env.get(TargetOptions.REDIS_URL_VARIABLE));
        Redactor redactor = Redactor.forTexts(texts);
        CommandLine cli = new CommandLine(new JobQueueCommand(env));
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((e, arguments) -> {
            CommandLine command = e.getCommandLine();
            command.getErr().println("jobqueue: " + redactor.scrub(e.getMessage()));
            command.getErr().println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for more information.");
            command.getErr().flush();
            return ExitCodes.USAGE;
        });
        cli.setExecutionExceptionHandler((e, command, parseResult) -> {
            int code = exitCode(e);
            String message = code == ExitCodes.INTERNAL
                    ? "unexpected failure: " + e
                    : e.getMessage();
            if (code == ExitCodes.UNAVAILABLE && !(e instanceof CliFailure)) {
                message = "cannot reach " + describeTarget(command) + ": " + e.getMessage();
            }
            command.getErr().println("jobqueue: " + redactor.scrub(message));
            command.getErr().flush();
            return code;
        });
        try {
            return cli.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static int exitCode(Exception e) {
        if (e instanceof CliFailure) {
            return ((CliFailure) e).exitCode();
        }
        if (e instanceof IllegalArgumentException) {
            return ExitCodes.USAGE; // e.g. a malformed --cursor: the message names it
        }
        if (e instanceof RedisStorageException || e instanceof redis.clients.jedis.exceptions.JedisException
                || e instanceof java.io.UncheckedIOException) {
            return ExitCodes.UNAVAILABLE; // the target went away during the command
        }
        return ExitCodes.INTERNAL;
    }

    private static String describeTarget(CommandLine command) {
        Object user = command.getCommand();
        return user instanceof StorageCommand ? ((StorageCommand) user).target().describe() : "the target";
    }
}
