package dev.jobqueue.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jobqueue.contract.ChildJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link FileStorage#open} names the real cause when the directory cannot be used. Permission
 * cases need a process that permissions apply to: as root (which may write anywhere) the open
 * runs in a child JVM that keeps uid 0 but drops the capabilities that bypass file permissions.
 */
class OpenErrorsTest {
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));
    private Path root;

    @BeforeEach
    void createRoot() {
        root = TempDirs.create("open-errors");
    }

    @AfterEach
    void deleteRoot() throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.toList()) {
                if (Files.isDirectory(p)) {
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
                }
            }
        }
        TempDirs.delete(root);
    }

    @Test
    void aParentThatIsARegularFileIsNamed() throws Exception {
        Path file = Files.createFile(root.resolve("plain-file"));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> FileStorage.open(file.resolve("jobs")));
        assertTrue(e.getMessage().contains(file + " exists and is not a directory"), e.getMessage());
    }

    @Test
    void nullArgumentsAreIllegalArgumentsNamingThem() {
        IllegalArgumentException dir = assertThrows(IllegalArgumentException.class, () -> FileStorage.open(null));
        assertTrue(dir.getMessage().startsWith("dir "), dir.getMessage());
        IllegalArgumentException options = assertThrows(IllegalArgumentException.class,
                () -> FileStorage.open(root.resolve("jobs"), null));
        assertTrue(options.getMessage().startsWith("options "), options.getMessage());
    }

    @Test
    void aPathThatIsARegularFileIsAnIllegalArgument() throws Exception {
        Path file = Files.createFile(root.resolve("plain-file"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FileStorage.open(file));
        assertTrue(e.getMessage().startsWith("dir"), e.getMessage());
        assertTrue(e.getMessage().contains("is not a directory"), e.getMessage());
    }

    @Test
    void anUnwritableDirectoryIsNamedWithItsOwnerAndPermissions() throws Exception {
        Path dir = Files.createDirectory(root.resolve("read-only"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-x------"));
        String message = openFails(dir);
        assertTrue(message.contains("permission denied"), message);
        assertTrue(message.contains(dir + " is owned by " + Files.getOwner(dir).getName()
                + " with permissions r-x------"), message);
    }

    @Test
    void aDirectoryThatCannotBeCreatedNamesTheParentThatRefused() throws Exception {
        Path parent = Files.createDirectory(root.resolve("locked-parent"));
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("r-x------"));
        String message = openFails(parent.resolve("jobs"));
        assertTrue(message.contains("permission denied"), message);
        assertTrue(message.contains(parent + " is owned by"), message);
    }

    @Test
    void aDirectoryOwnedBySomeoneElseIsNamedWithItsOwner() throws Exception {
        assumeTrue(ROOT, "giving a directory to another user needs root");
        Path dir = Files.createDirectory(root.resolve("someone-elses"));
        UserPrincipal nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Files.setOwner(dir, nobody);
        String message = openFails(dir);
        assertTrue(message.contains(dir + " is owned by nobody with permissions rwx------"), message);
        assertTrue(message.contains("runs as user"), message);
    }

    /** Opens {@code dir} where file permissions apply and returns the failure's message. */
    private static String openFails(Path dir) throws Exception {
        if (!ROOT) {
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> FileStorage.open(dir));
            return e.getMessage();
        }
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv to drop root's file capabilities");
        try (ChildJvm child = ChildJvm.builder(OpenChild.class)
                .wrapper(List.of("/usr/bin/setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", "--inh-caps=-all"))
                .args(dir.toString())
                .start()) {
            assertEquals(0, child.awaitExit(Duration.ofMinutes(2)), child.stderrText());
            List<String> lines = child.lines();
            assertEquals(1, lines.size(), lines + child.stderrText());
            assertTrue(lines.get(0).startsWith("FAILED java.io.UncheckedIOException: "), lines.get(0));
            return lines.get(0);
        }
    }
}
