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

    /** Not serialized: {@link Path} is not {@code Serializable}, so a deserialized copy has {@code null}. */
    private final transient Path file;
    /** Byte offset of the first damaged record; 0 when the whole file is missing. */
    private final long offset;

    /**
     * Makes an exception whose message names the file, the offset and the reason.
     *
     * @param file the damaged journal or snapshot file
     * @param offset byte offset of the first damaged record in {@code file}
     * @param reason what is wrong at that offset, for the message (e.g. a checksum mismatch)
     */
    public CorruptJournalException(Path file, long offset, String reason) {
        this(file + " is corrupt at byte offset " + offset + ": " + reason, file, offset);
    }

    /**
     * For subclasses that word the whole message themselves.
     *
     * @param message the complete exception message
     * @param file the damaged or missing file
     * @param offset byte offset of the first damaged record in {@code file}; 0 when it is missing
     */
    protected CorruptJournalException(String message, Path file, long offset) {
        super(message);
        this.file = file;
        this.offset = offset;
    }

    /**
     * The damaged (or, for {@link MissingGenerationException}, the missing) file.
     *
     * @return the file's path; {@code null} on a deserialized copy, as the path is not serialized
     */
    public Path file() {
        return file;
    }

    /**
     * Byte offset of the first damaged record in {@link #file()}.
     *
     * @return the offset from the start of the file; 0 when the whole file is missing
     */
    public long offset() {
        return offset;
    }
}
