package dev.jobqueue.file;

import java.nio.file.Path;

/** Child JVM for {@link OpenErrorsTest}: opens the directory in args[0] and prints how that went. */
public final class OpenChild {
    private OpenChild() {
    }

    public static void main(String[] args) {
        try (FileStorage storage = FileStorage.open(Path.of(args[0]))) {
            System.out.println("OPENED " + storage.directory());
        } catch (RuntimeException e) {
            System.out.println("FAILED " + e.getClass().getName() + ": " + e.getMessage().replace('\n', ' '));
        }
        System.out.flush();
    }
}
