package dev.jobqueue.cli;

import dev.jobqueue.file.FileStorage;
import dev.jobqueue.redis.RedisStorage;
import dev.jobqueue.spi.Storage;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Where the jobs are: exactly one of {@code --redis}, {@code --dir} or {@code --jdbc} (or the
 * {@code JOBQUEUE_REDIS_URL} environment variable, which keeps a password out of the process list).
 * Opening never creates anything: a directory must already hold a file storage. The options are
 * mixed into the top command and inherited by every subcommand, so they may stand before or after
 * the command's name ({@code jobqueue --dir d stats} or {@code jobqueue stats --dir d}).
 */
final class TargetOptions {
    /** Read when no target option is given: a Redis URI, so that its password is not in {@code ps} output. */
    static final String REDIS_URL_VARIABLE = "JOBQUEUE_REDIS_URL";

    @Option(names = "--redis", scope = ScopeType.INHERIT, paramLabel = "URI",
            description = "Redis: redis://[user:password@]host:port[/db], rediss://... for TLS"
                    + " (default: the " + REDIS_URL_VARIABLE + " environment variable).")
    String redisUri;

    @Option(names = "--prefix", scope = ScopeType.INHERIT, paramLabel = "PREFIX", defaultValue = "jq",
            description = "Key prefix of the RedisStorage (its builder's keyPrefix; default: ${DEFAULT-VALUE}).")
    String prefix;

    @Option(names = "--dir", scope = ScopeType.INHERIT, paramLabel = "DIR", description = "A FileStorage directory.")
    Path dir;

    @Option(names = "--jdbc", scope = ScopeType.INHERIT, paramLabel = "URL", description = "PostgreSQL: jdbc:postgresql://... (not supported yet).")
    String jdbcUrl;

    @Option(names = "--timeout", scope = ScopeType.INHERIT, paramLabel = "SECONDS", defaultValue = "5",
            description = "How long to keep trying an unreachable Redis before giving up (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    /**
     * Opens the storage the options name.
     *
     * @param env the process environment (a map, so tests can pass their own)
     * @return the open storage, for the caller to close
     * @throws CliFailure with {@link ExitCodes#USAGE} for no or several targets, with
     *         {@link ExitCodes#UNAVAILABLE} when it cannot be opened
     */
    Storage open(Map<String, String> env) {
        String redis = redisUri;
        int given = (redisUri != null ? 1 : 0) + (dir != null ? 1 : 0) + (jdbcUrl != null ? 1 : 0);
        if (given == 0 && env.get(REDIS_URL_VARIABLE) != null && !env.get(REDIS_URL_VARIABLE).isBlank()) {
            redis = env.get(REDIS_URL_VARIABLE).trim();
            given = 1;
        }
        if (given != 1) {
            throw new CliFailure(ExitCodes.USAGE, given == 0
                    ? "no target: give --redis URI, --dir DIR or --jdbc URL (or set " + REDIS_URL_VARIABLE + ")"
                    : "give only one of --redis, --dir and --jdbc");
        }
        if (timeoutSeconds < 0 || timeoutSeconds > 3600) {
            throw new CliFailure(ExitCodes.USAGE, "--timeout must be 0..3600 seconds, got " + timeoutSeconds);
        }
        if (redis != null) {
            return openRedis(redis);
        }
        if (dir != null) {
            return openDirectory(dir);
        }
        throw CliFailure.unavailable("cannot open " + Redactor.redactUri(jdbcUrl)
                + ": PostgreSQL targets are not supported yet by this version of the tool", null);
    }

    /** Where the target is, for messages: the URI without its password, or the directory. */
    String describe() {
        if (dir != null) {
            return dir.toString();
        }
        if (jdbcUrl != null) {
            return Redactor.redactUri(jdbcUrl);
        }
        return redisUri == null ? "$" + REDIS_URL_VARIABLE : Redactor.redactUri(redisUri);
    }

    private Storage openRedis(String uri) {
        String shown = Redactor.redactUri(uri);
        RedisStorage.Builder builder = RedisStorage.builder();
        try {
            builder.uri(uri);
        } catch (IllegalArgumentException e) {
            throw CliFailure.unavailable("cannot open " + shown + ": " + e.getMessage(), e);
        }
        try {
            builder.keyPrefix(prefix);
        } catch (IllegalArgumentException e) {
            throw new CliFailure(ExitCodes.USAGE, "--prefix: " + e.getMessage());
        }
        try {
            return builder.retryWindow(Duration.ofSeconds(timeoutSeconds)).poolSize(2).pipelineConnections(1).build();
        } catch (RuntimeException e) {
            throw CliFailure.unavailable("cannot connect to " + shown + ": " + e.getMessage(), e);
        }
    }

    private static Storage openDirectory(Path dir) {
        // FileStorage.open creates a missing directory and an empty storage: an operator's typo
        // must not do that, so the tool opens only a directory that already holds a storage
        // (every FileStorage directory has the file "lock", which all its processes lock).
        if (!Files.isDirectory(dir)) {
            throw CliFailure.unavailable("cannot open " + dir + ": " + (Files.exists(dir)
                    ? "not a directory" : "no such directory"), null);
        }
        if (!Files.exists(dir.resolve("lock"))) {
            throw CliFailure.unavailable("cannot open " + dir + ": not a job-queue file storage (it has no file 'lock');"
                    + " the tool opens existing storages only", null);
        }
        try {
            return FileStorage.open(dir);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            throw CliFailure.unavailable(e.getMessage(), e);
        } catch (RuntimeException e) {
            // CorruptJournalException, MissingGenerationException: their messages name the file
            throw CliFailure.unavailable("cannot open " + dir + ": " + e.getMessage(), e);
        }
    }
}
