package dev.jobqueue.file;

import java.nio.file.Path;

/**
 * A journal or snapshot that the directory's state runs through is missing (deleted, not
 * restored from a backup, lost with a disk), while files of later generations exist. Opening
 * without it would silently drop every job it held, so {@link FileStorage#open} refuses, names
 * the missing file and changes nothing in the directory. Which absent files are normal leftovers
 * of a crash and which are damage is listed in the module README, "Which files may be missing".
 *
 * <!-- snippet: missing-generation-exception -->
 * <pre>{@code
 * try (FileStorage storage = FileStorage.open(dir)) {
 *     serve(storage);
 * } catch (MissingGenerationException e) {
 *     log.error("restore {} from the backup of {}", e.file().getFileName(), e.file().getParent());
 * }
 * }</pre>
 */
public class MissingGenerationException extends CorruptJournalException {
    private static final long serialVersionUID = 1L;

    MissingGenerationException(Path missing, String explanation) {
        super(missing.getParent() + ": " + missing.getFileName() + " is missing: " + explanation, missing, 0);
    }
}
