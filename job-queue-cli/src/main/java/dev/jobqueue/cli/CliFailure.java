package dev.jobqueue.cli;

/**
 * Ends a command with an exit code and a message for stderr (the message never holds a password:
 * it goes through the target's {@link Redactor} like every other message).
 */
final class CliFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    CliFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    CliFailure(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    static CliFailure refused(String message) {
        return new CliFailure(ExitCodes.REFUSED, message);
    }

    static CliFailure unavailable(String message, Throwable cause) {
        return new CliFailure(ExitCodes.UNAVAILABLE, message, cause);
    }

    int exitCode() {
        return exitCode;
    }
}
