package dev.jobqueue.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * The generations of the journals and snapshots in a directory at one moment, and the rules that
 * tell a crash artefact from a missing file (module README, "Which files may be missing"). Read
 * under the directory lock: only a lock holder creates or deletes journals, so the answer holds
 * until the lock is released (a snapshot may still be renamed into place by a writer that does
 * not take the lock, but only for a generation whose journal exists already).
 */
final class Generations {
    private final StorageDirectory dir;
    private final NavigableSet<Long> journals;
    private final NavigableSet<Long> snapshots;

    private Generations(StorageDirectory dir, NavigableSet<Long> journals, NavigableSet<Long> snapshots) {
        this.dir = dir;
        this.journals = journals;
        this.snapshots = snapshots;
    }

    static Generations scan(StorageDirectory dir) throws IOException {
        NavigableSet<Long> journals = new TreeSet<>();
        NavigableSet<Long> snapshots = new TreeSet<>();
        dir.forEachGeneration(journals::add, snapshots::add);
        return new Generations(dir, journals, snapshots);
    }

    /** The generation the state starts from: the newest snapshot's, or 1 when there is none. */
    long base() {
        return snapshots.isEmpty() ? 1 : Math.max(1, snapshots.last());
    }

    /**
     * Called when the journal of {@code base} is absent or never got its header. Legal in a new
     * directory (base 1, nothing else there) and after a compaction by an older build that died
     * between renaming its snapshot and creating the journal (the journal before it is still
     * there). Otherwise the journal was lost with whatever it held.
     */
    void checkBaseJournalMayBeCreated(long base) {
        checkNothingAfter(base);
        if (base > 1 && !journals.contains(base - 1)) {
            throw new MissingGenerationException(dir.journalPath(base), dir.snapshotPath(base).getFileName()
                    + " exists but the journal that continues it does not, and no "
                    + dir.journalPath(base - 1).getFileName() + " shows an interrupted compaction; opening would "
                    + "drop every job the journal held. Restore it, or move the directory's files away to start empty.");
        }
    }

    /**
     * Called when a {@code ROTATE} record leads into {@code next} but its journal is absent or
     * never got its header (a compaction by an older build died in between). Legal only while no
     * later journal exists: otherwise {@code next} held records those later ones build on.
     */
    void checkNextJournalMayBeCreated(long next) {
        Long later = journals.higher(next);
        if (later != null) {
            throw new MissingGenerationException(dir.journalPath(next), "the ROTATE record at the end of "
                    + dir.journalPath(next - 1).getFileName() + " leads into it and "
                    + dir.journalPath(later).getFileName() + " exists; opening would drop every job it held. "
                    + "Restore it.");
        }
        checkNothingAfter(next);
    }

    /**
     * Called once the chain ends at {@code end} (its journal has no {@code ROTATE}): a later journal
     * that holds no records is a compaction that died after creating it and before writing the
     * {@code ROTATE} into it, and is deleted; one that holds records has lost its way in.
     */
    void dropUnreachedEmptyJournal(long end) throws IOException {
        Long next = journals.higher(end);
        if (next != null && next == end + 1 && journals.higher(next) == null && holdsNoRecords(next)) {
            Files.deleteIfExists(dir.journalPath(next));
            journals.remove(next);
        }
        checkNothingAfter(end);
    }

    /** Refuses when a journal or snapshot of a generation after {@code end} exists: the way to it is missing. */
    private void checkNothingAfter(long end) {
        Long journal = journals.higher(end);
        Long snapshot = snapshots.higher(end);
        if (journal == null && snapshot == null) {
            return;
        }
        long later = journal == null ? snapshot : snapshot == null ? journal : Math.min(journal, snapshot);
        String found = (journals.contains(later) ? dir.journalPath(later) : dir.snapshotPath(later)).getFileName().toString();
        if (later == end + 1) {
            throw new MissingGenerationException(dir.snapshotPath(later), found + " exists, but neither "
                    + dir.snapshotPath(later).getFileName() + " nor a ROTATE record at the end of "
                    + dir.journalPath(end).getFileName() + " leads to generation " + later
                    + "; opening without it would lose the jobs it holds (the state up to generation " + later
                    + "). Restore it.");
        }
        throw new MissingGenerationException(dir.journalPath(end + 1), found + " exists, but the state runs only to "
                + "generation " + end + ": " + dir.journalPath(end + 1).getFileName()
                + (later > end + 2 ? " .. " + dir.journalPath(later - 1).getFileName() : "")
                + " or " + dir.snapshotPath(later).getFileName() + " would lead to it"
                + "; opening would drop every job they held. Restore the missing files.");
    }

    private boolean holdsNoRecords(long generation) throws IOException {
        try {
            return Files.size(dir.journalPath(generation)) <= JournalFile.HEADER;
        } catch (NoSuchFileException e) {
            return true;
        }
    }
}
