package dev.jobqueue.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class ApiSignatureTest {

    @Test
    void listsVisibleTypesAndMembersWithGenericsAndBounds() {
        List<String> lines = ApiSignature.of(ApiSignatureTest.class, "dev.jobqueue.contract").lines();
        assertTrue(lines.contains("public static class dev.jobqueue.contract.ApiSignatureTest$Fixture<T extends java.lang.Comparable<T>>"), lines::toString);
        assertTrue(lines.contains("  public <K extends java.lang.Number> java.util.Map<K, ? super T> lookup(K, java.lang.String...) throws java.io.IOException"), lines::toString);
        assertTrue(lines.contains("  protected final int limit"), lines::toString);
        assertTrue(lines.stream().noneMatch(l -> l.contains("hidden")), lines::toString);
    }

    @Test
    void failsWithTheChangedLinesAndTheUpdateCommand(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("x.api");
        ApiSignature signature = ApiSignature.of(ApiSignatureTest.class, "dev.jobqueue.contract");
        Files.writeString(file, signature.text().replace("  protected final int limit\n", "  protected final long limit\n"));

        AssertionError error = assertThrows(AssertionError.class, () -> signature.assertMatches(file, false));

        assertTrue(error.getMessage().contains("  public static class dev.jobqueue.contract.ApiSignatureTest$Fixture"), error.getMessage());
        assertTrue(error.getMessage().contains("-   protected final long limit\n"), error.getMessage());
        assertTrue(error.getMessage().contains("+   protected final int limit\n"), error.getMessage());
        assertTrue(error.getMessage().contains(ApiSignature.UPDATE_COMMAND), error.getMessage());
    }

    @Test
    void passesOnTheSameText(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("x.api");
        ApiSignature signature = ApiSignature.of(ApiSignatureTest.class, "dev.jobqueue.contract");
        Files.writeString(file, signature.text());
        signature.assertMatches(file, false);
        assertEquals(signature.text(), Files.readString(file));
    }

    /** A fixture with the shapes the signature must spell out. */
    public static class Fixture<T extends Comparable<T>> {
        protected final int limit = 1;
        int hiddenField;

        public <K extends Number> java.util.Map<K, ? super T> lookup(K key, String... names) throws IOException {
            return java.util.Map.of();
        }

        void hiddenMethod() {
        }
    }
}
