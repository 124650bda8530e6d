package dev.jobqueue.contract;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** An SLF4J logger that keeps every line, to check that a configured logger is used. */
public final class CapturingLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    /** One logged line. */
    public record Line(Level level, String message, Throwable error) {
    }

    private final transient List<Line> lines = new CopyOnWriteArrayList<>();

    /**
     * A logger that keeps every line it is given.
     *
     * @param name the logger's name, as {@code getName()} returns it
     */
    public CapturingLogger(String name) {
        this.name = name;
    }

    /**
     * The lines logged so far, in order.
     *
     * @return a live, thread-safe view
     */
    public List<Line> lines() {
        return lines;
    }

    /**
     * Whether a line was logged at {@code level} whose message contains {@code fragment}.
     *
     * @param level the log level
     * @param fragment text to look for in the message
     * @return {@code true} when such a line exists
     */
    public boolean contains(Level level, String fragment) {
        return lines.stream().anyMatch(l -> l.level() == level && l.message().contains(fragment));
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern, Object[] arguments,
                                               Throwable throwable) {
        lines.add(new Line(level, MessageFormatter.basicArrayFormat(messagePattern, arguments), throwable));
    }

    @Override
    public boolean isTraceEnabled() {
        return false;
    }

    @Override
    public boolean isDebugEnabled() {
        return true;
    }

    @Override
    public boolean isInfoEnabled() {
        return true;
    }

    @Override
    public boolean isWarnEnabled() {
        return true;
    }

    @Override
    public boolean isErrorEnabled() {
        return true;
    }
}
