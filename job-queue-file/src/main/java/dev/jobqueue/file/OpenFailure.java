package dev.jobqueue.file;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Words why a storage directory could not be opened. The JDK's exceptions name only a path
 * ({@code AccessDeniedException: /var/lib/jobs/lock}); an operator needs the cause: whose
 * directory it is and with which permissions, a parent that is a regular file, a read-only or
 * full file system.
 */
final class OpenFailure {
    private OpenFailure() {
    }

    static String explain(IOException e) {
        if (e instanceof AccessDeniedException denied && denied.getFile() != null) {
            Path file = Path.of(denied.getFile());
            Path existing = nearestExisting(file);
            String what = existing.equals(file) ? "" : " (creating it in " + existing + ")";
            return "permission denied on " + file + what + ": " + existing + " is " + describe(existing)
                    + ", and this process runs as user " + System.getProperty("user.name");
        }
        if (e instanceof FileSystemException fs && fs.getFile() != null) {
            Path notADirectory = existingNonDirectoryAncestor(Path.of(fs.getFile()));
            if (notADirectory != null) {
                return notADirectory + " exists and is not a directory, so the storage directory cannot be created in it";
            }
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return (fs.getFile() != null ? fs.getFile() + ": " : "") + fs.getReason();
        }
        return e.toString();
    }

    /** The nearest existing ancestor of {@code file} when it is a regular file (or other non-directory), else null. */
    private static Path existingNonDirectoryAncestor(Path file) {
        for (Path p = file.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                return Files.isDirectory(p) ? null : p;
            }
        }
        return null;
    }

    private static Path nearestExisting(Path file) {
        Path p = file.toAbsolutePath();
        while (p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            p = p.getParent();
        }
        if (p == null) {
            return file;
        }
        // Creating a file is refused by its directory's permissions, not by the file's.
        return p.equals(file.toAbsolutePath()) || Files.isDirectory(p) ? p : p.getParent();
    }

    private static String describe(Path path) {
        try {
            String owner = Files.getOwner(path).getName();
            String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
            return "owned by " + owner + " with permissions " + mode;
        } catch (IOException | UnsupportedOperationException e) {
            return "not accessible (" + e + ")";
        }
    }
}
