package dev.jobqueue.snippets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every code example in the library's Javadoc and in README.md is a region of compiled code under
 * examples/src/test/java (see {@link Snippets}); {@code -Dsnippets.update=true} rewrites the
 * examples from the regions instead of failing. Sources under an {@code internal} package (such as
 * {@code dev.jobqueue.internal}) are skipped: they are not public API and are excluded from the
 * Javadoc.
 */
class SnippetsTest {

    private static Path repo() {
        return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
    }

    @Test
    void everyExampleIsCompiledCode() {
        Snippets snippets = new Snippets(repo());
        if (Boolean.getBoolean("snippets.update")) {
            snippets.update();
        }
        List<String> problems = snippets.check();
        assertTrue(problems.isEmpty(), () -> problems.size() + " example(s) not backed by compiled code:\n  "
                + String.join("\n  ", problems)
                + "\nAdd or fix the region under examples/src/test/java and its marker, then rewrite the examples with:\n  "
                + Snippets.UPDATE_COMMAND);
    }

    @Test
    void findsMissingStaleAndUnusedExamplesAndUpdatesThem(@TempDir Path dir) throws IOException {
        Path regions = Files.createDirectories(dir.resolve("examples/src/test/java/x"));
        Files.writeString(regions.resolve("R.java"), String.join("\n",
                "class R {", "    void a() {", "        // snippet: used", "        int x = 1;", "        // end-snippet",
                "        // snippet: unused", "        int y = 2;", "        // end-snippet", "    }", "}", ""));
        Path sources = Files.createDirectories(dir.resolve("job-queue-x/src/main/java/x"));
        Path doc = sources.resolve("D.java");
        Files.writeString(doc, String.join("\n",
                "/**", " * <!-- snippet: used -->", " * <pre>{@code", " * int x = 0;", " * }</pre>",
                " * <pre>{@code", " * unmarked();", " * }</pre>", " */", "class D {}", ""));
        Files.writeString(dir.resolve("README.md"), "");
        Snippets snippets = new Snippets(dir);

        List<String> problems = snippets.check();
        assertEquals(3, problems.size(), problems::toString);
        assertTrue(problems.get(0).endsWith("D.java:3: example differs from region used"), problems::toString);
        assertTrue(problems.get(1).endsWith("D.java:6: example without a <!-- snippet: NAME --> marker line before it"), problems::toString);
        assertEquals("region unused is shown by no documentation block", problems.get(2));

        snippets.update();
        assertTrue(Files.readString(doc).contains(" * <pre>{@code\n * int x = 1;\n * }</pre>"), Files.readString(doc));
        assertEquals(2, new Snippets(dir).check().size());
    }
}
