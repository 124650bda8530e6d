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
        super(file + " is corrupt at byte offset " + offset + ": " + reason);
        this.file = file;
        this.offset = offset;
    }

    /** The damaged file. */
    public Path file() {
        return file;
    }

    /** Byte offset of the first damaged record in {@link #file()}. */
    public long offset() {
        return offset;
    }
}
