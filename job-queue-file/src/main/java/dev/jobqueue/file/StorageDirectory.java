package dev.jobqueue.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage directory: its fixed file names (only generation numbers vary, never anything a
 * caller passes), owner-only permissions, the OS lock that serialises appends and compaction
 * across processes, and directory fsyncs that make renames and new files durable.
 */
final class StorageDirectory implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StorageDirectory.class);
    private static final Pattern JOURNAL = Pattern.compile("journal-(\\d{16})\\.log");
    private static final Pattern SNAPSHOT = Pattern.compile("snapshot-(\\d{16})\\.dat");
    private static final Pattern SNAPSHOT_TEMP = Pattern.compile("snapshot-(\\d{16})\\.tmp");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

    /**
     * OS file locks belong to the whole JVM (a second lock attempt from the same JVM fails with
     * OverlappingFileLockException), so storages of one directory in one JVM queue up here first.
     */
    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final Path dir;
    private final boolean posix;
    private final FileChannel lockChannel;
    private final ReentrantLock inProcess;

    private StorageDirectory(Path dir, boolean posix, FileChannel lockChannel) {
        this.dir = dir;
        this.posix = posix;
        this.lockChannel = lockChannel;
        this.inProcess = IN_PROCESS.computeIfAbsent(dir, d -> new ReentrantLock());
    }

    /** Held while this process may append to or compact the directory; close to release. */
    final class DirectoryLock implements AutoCloseable {
        private final FileLock osLock;

        private DirectoryLock(FileLock osLock) {
            this.osLock = osLock;
        }

        @Override
        public void close() throws IOException {
            try {
                osLock.release();
            } finally {
                inProcess.unlock();
            }
        }
    }

    static StorageDirectory open(Path requested) throws IOException {
        Path dir = requested.toAbsolutePath().normalize();
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (Files.isDirectory(dir)) {
            if (posix && !Files.getPosixFilePermissions(dir).equals(OWNER_DIR)) {
                LOG.warn("storage directory {} has permissions {}; owner-only (rwx------) is recommended",
                        dir, PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
            }
        } else if (Files.exists(dir)) {
            throw new IllegalArgumentException("dir: " + dir + " exists and is not a directory");
        } else if (posix) {
            // Also when a parent is a regular file: createDirectories names it in its exception.
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
            // createDirectories applies the umask; set the bits explicitly.
            Files.setPosixFilePermissions(dir, OWNER_DIR);
        } else {
            Files.createDirectories(dir);
        }
        Path real = dir.toRealPath();
        StorageDirectory layout = new StorageDirectory(real, posix, null);
        FileChannel lock = layout.openChannel(real.resolve("lock"), StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new StorageDirectory(real, posix, lock);
    }

    Path path() {
        return dir;
    }

    /** Blocks until this storage holds the directory's exclusive lock (in this JVM and across processes). */
    DirectoryLock lockExclusive() throws IOException {
        inProcess.lock();
        try {
            return new DirectoryLock(lockChannel.lock());
        } catch (IOException | RuntimeException e) {
            inProcess.unlock();
            throw e;
        }
    }

    Path journalPath(long generation) {
        return dir.resolve(String.format("journal-%016d.log", generation));
    }

    Path snapshotPath(long generation) {
        return dir.resolve(String.format("snapshot-%016d.dat", generation));
    }

    Path snapshotTempPath(long generation) {
        return dir.resolve(String.format("snapshot-%016d.tmp", generation));
    }

    static boolean isJournalName(String name) {
        return JOURNAL.matcher(name).matches();
    }

    /** Newest generation with a snapshot, or 0 when there is none. */
    long newestSnapshotGeneration() throws IOException {
        return newestGeneration(SNAPSHOT);
    }

    private long newestGeneration(Pattern pattern) throws IOException {
        long newest = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                Matcher m = pattern.matcher(file.getFileName().toString());
                if (m.matches()) {
                    newest = Math.max(newest, Long.parseLong(m.group(1)));
                }
            }
        }
        return newest;
    }

    /** Hands the generation of every journal and every (complete) snapshot in the directory to the two consumers. */
    void forEachGeneration(LongConsumer journal, LongConsumer snapshot) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                Matcher j = JOURNAL.matcher(name);
                Matcher s = SNAPSHOT.matcher(name);
                if (j.matches()) {
                    journal.accept(Long.parseLong(j.group(1)));
                } else if (s.matches()) {
                    snapshot.accept(Long.parseLong(s.group(1)));
                }
            }
        }
    }

    /**
     * Deletes journals, snapshots and snapshot temp files of generations before {@code current},
     * which must be a generation whose snapshot is complete (or 1): everything older is in it.
     * Newer temp files are left alone, since a snapshot may be being written in the background.
     * Call under the lock.
     */
    void deleteOlderThan(long current) throws IOException {
        List<Path> stale = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                Matcher journal = JOURNAL.matcher(name);
                Matcher snapshot = SNAPSHOT.matcher(name);
                Matcher temp = SNAPSHOT_TEMP.matcher(name);
                if (temp.matches() && Long.parseLong(temp.group(1)) < current
                        || journal.matches() && Long.parseLong(journal.group(1)) < current
                        || snapshot.matches() && Long.parseLong(snapshot.group(1)) < current) {
                    stale.add(file);
                }
            }
        }
        for (Path file : stale) {
            Files.deleteIfExists(file);
        }
    }

    /** Opens (creating with owner-only permissions when missing) a file of this directory. */
    FileChannel openChannel(Path file, StandardOpenOption... options) throws IOException {
        try {
            List<StandardOpenOption> createOptions = new ArrayList<>(List.of(options));
            createOptions.add(StandardOpenOption.CREATE_NEW);
            return FileChannel.open(file, Set.copyOf(createOptions), ownerOnly());
        } catch (FileAlreadyExistsException e) {
            return FileChannel.open(file, options);
        }
    }

    /** Creates a new file (failing if it exists) with owner-only permissions. */
    FileChannel createChannel(Path file) throws IOException {
        return FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE), ownerOnly());
    }

    private FileAttribute<?>[] ownerOnly() {
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_FILE)}
                : new FileAttribute<?>[0];
    }

    /** Makes renames, creations and deletions in the directory durable. */
    void syncDirectory() throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory for fsync; the rename is still atomic there.
            LOG.debug("directory fsync not supported for {}: {}", dir, e.toString());
        }
    }

    @Override
    public void close() throws IOException {
        if (lockChannel != null) {
            lockChannel.close();
        }
    }
}
