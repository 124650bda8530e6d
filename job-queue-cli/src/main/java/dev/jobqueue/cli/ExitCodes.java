package dev.jobqueue.cli;

/**
 * The exit codes of the tool, stable for scripts (the README's table lists them).
 */
final class ExitCodes {
    /** The command did what it was asked. */
    static final int OK = 0;
    /** Refused or not found: a missing job or queue, a job in the wrong state, purge without --yes. Nothing changed. */
    static final int REFUSED = 1;
    /** Usage error: unknown command or option, a bad state name, a missing --queue, a malformed cursor. */
    static final int USAGE = 2;
    /** The target cannot be opened or reached: a wrong URI, an unreachable Redis, a missing directory. */
    static final int UNAVAILABLE = 3;
    /** An unexpected failure inside the tool (a bug): the message names the exception. */
    static final int INTERNAL = 4;

    private ExitCodes() {
    }
}
