package dev.jobqueue.file;

import java.nio.file.Path;

/**
 * A journal or snapshot file is damaged in a way recovery must not repair on its own: a record
 * in the middle of a journal is corrupt while valid records follow it, or a snapshot is
 * incomplete. Cutting such a file would drop acknowledged jobs, so {@link FileStorage#open}
 * refuses and names the file and byte offset for an operator to inspect.
 *
 * <!-- snippet: corrupt-journal-exception -->
 * <pre>{@code
 * try (FileStorage storage = FileStorage.open(dir)) {
 *     serve(storage);
 * } catch (CorruptJournalException e) {
 *     log.error("job journal {} damaged at byte {}", e.file(), e.offset());
 * }
 * }</pre>
 */
public class CorruptJournalException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;

    public CorruptJournalException(Path file, long offset, String reason) {
        this(file + " is corrupt at byte offset " + offset + ": " + reason, file, offset);
    }

    /** For subclasses that word the whole message themselves. */
    protected CorruptJournalException(String message, Path file, long offset) {
        super(message);
        this.file = file;
        this.offset = offset;
    }

    /** The damaged (or, for {@link MissingGenerationException}, the missing) file. */
    public Path file() {
        return file;
    }

    /** Byte offset of the first damaged record in {@link #file()}; 0 when the whole file is missing. */
    public long offset() {
        return offset;
    }
}
