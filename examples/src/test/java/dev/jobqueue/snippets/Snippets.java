package dev.jobqueue.snippets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Keeps the code examples in the library's Javadoc and in README.md equal to compiled code.
 *
 * <p>A region of compiled code under examples/src/test/java sits between {@code // snippet: NAME}
 * and {@code // end-snippet}. A documentation block that shows it is preceded by
 * {@code <!-- snippet: NAME -->}: in Javadoc a {@code <pre>{@code ...}</pre>} block, in Markdown a
 * fenced block. {@link #check} lists every block without a region, every block that differs from its
 * region (whitespace aside), and every region no block uses; {@link #update} rewrites the blocks
 * from their regions. Sources under {@code internal} packages are not checked (see {@link #documents}).
 */
final class Snippets {

    static final String UPDATE_COMMAND = "mvn -B -o -q -pl examples -am test -Dtest=SnippetsTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dsnippets.update=true";

    private static final Pattern REGION_START = Pattern.compile("^\\s*// snippet: ([a-z0-9-]+)\\s*$");
    private static final Pattern REGION_END = Pattern.compile("^\\s*// end-snippet\\s*$");
    private static final Pattern MARKER = Pattern.compile("^\\s*(?:\\*\\s*)?<!-- snippet: ([a-z0-9-]+) -->\\s*$");
    private static final Pattern JAVADOC_LINE = Pattern.compile("^(\\s*\\*) ?(.*)$");

    private final Path repo;
    private final Map<String, List<String>> regions = new LinkedHashMap<>();

    Snippets(Path repo) {
        this.repo = repo;
        for (Path file : files(repo.resolve("examples/src/test/java"), ".java")) {
            readRegions(file);
        }
    }

    /**
     * The documents whose examples are checked: the library modules' main sources and README.md.
     * Sources under an {@code internal} package are skipped: they are not public API and not in the
     * published Javadoc.
     */
    List<Path> documents() {
        List<Path> documents = new ArrayList<>();
        try (Stream<Path> modules = Files.list(repo)) {
            for (Path module : modules.filter(m -> m.getFileName().toString().startsWith("job-queue-")).sorted().collect(Collectors.toList())) {
                files(module.resolve("src/main/java"), ".java").stream()
                        .filter(f -> !f.toString().replace('\\', '/').contains("/internal/"))
                        .forEach(documents::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        documents.add(repo.resolve("README.md"));
        return documents;
    }

    /** @return one line per problem found; empty when every example is its region's code */
    List<String> check() {
        List<String> problems = new ArrayList<>();
        TreeSet<String> unused = new TreeSet<>(regions.keySet());
        regions.forEach((name, lines) -> problems.addAll(unsafeForJavadoc(name, lines)));
        for (Path doc : documents()) {
            for (Block block : blocks(doc)) {
                String where = repo.relativize(doc) + ":" + (block.start + 1);
                if (block.name == null) {
                    problems.add(where + ": example without a <!-- snippet: NAME --> marker line before it");
                    continue;
                }
                unused.remove(block.name);
                List<String> region = regions.get(block.name);
                if (region == null) {
                    problems.add(where + ": no region \"// snippet: " + block.name + "\" under examples/src/test/java");
                } else if (!normalized(region).equals(normalized(block.code))) {
                    problems.add(where + ": example differs from region " + block.name);
                }
            }
        }
        unused.forEach(name -> problems.add("region " + name + " is shown by no documentation block"));
        return problems;
    }

    /** Rewrites every marked block that differs from its region (beyond whitespace) from that region. */
    void update() {
        for (Path doc : documents()) {
            List<String> lines = read(doc);
            List<Block> blocks = blocks(doc);
            boolean changed = false;
            for (int i = blocks.size() - 1; i >= 0; i--) {
                Block block = blocks.get(i);
                List<String> region = block.name == null ? null : regions.get(block.name);
                // Whitespace-only differences are left alone: the check ignores them too.
                if (region == null || normalized(region).equals(normalized(block.code))) {
                    continue;
                }
                List<String> replacement = region.stream()
                        .map(l -> block.prefix == null ? l : l.isEmpty() ? block.prefix : block.prefix + " " + l)
                        .collect(Collectors.toList());
                List<String> target = lines.subList(block.start + 1, block.end);
                target.clear();
                target.addAll(replacement);
                changed = true;
            }
            if (changed) {
                write(doc, lines);
            }
        }
    }

    private void readRegions(Path file) {
        List<String> lines = read(file);
        for (int i = 0; i < lines.size(); i++) {
            Matcher start = REGION_START.matcher(lines.get(i));
            if (!start.matches()) {
                continue;
            }
            int end = i + 1;
            while (end < lines.size() && !REGION_END.matcher(lines.get(end)).matches()) {
                end++;
            }
            if (end == lines.size()) {
                throw new IllegalStateException(file + ":" + (i + 1) + ": region " + start.group(1) + " has no // end-snippet");
            }
            if (regions.put(start.group(1), dedent(lines.subList(i + 1, end))) != null) {
                throw new IllegalStateException(file + ":" + (i + 1) + ": a second region named " + start.group(1));
            }
            i = end;
        }
    }

    private List<Block> blocks(Path doc) {
        List<String> lines = read(doc);
        boolean markdown = doc.toString().endsWith(".md");
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            boolean opens = markdown ? line.equals("```java") : line.contains("<pre>{@code");
            if (!opens) {
                continue;
            }
            int end = i + 1;
            while (end < lines.size() && !(markdown ? lines.get(end).equals("```") : lines.get(end).contains("}</pre>"))) {
                end++;
            }
            String name = null;
            if (i > 0) {
                Matcher marker = MARKER.matcher(lines.get(i - 1));
                name = marker.matches() ? marker.group(1) : null;
            }
            String prefix = null;
            List<String> code = new ArrayList<>();
            for (String l : lines.subList(i + 1, end)) {
                if (markdown) {
                    code.add(l);
                    continue;
                }
                Matcher m = JAVADOC_LINE.matcher(l);
                if (m.matches()) {
                    prefix = prefix == null ? m.group(1) : prefix;
                    code.add(m.group(2));
                } else {
                    code.add(l.strip());
                }
            }
            if (!markdown && prefix == null) {
                Matcher m = JAVADOC_LINE.matcher(line);
                prefix = m.matches() ? m.group(1) : " *";
            }
            blocks.add(new Block(name, i, end, prefix, code));
            i = end;
        }
        return blocks;
    }

    /** Code that would end the comment, or end {@code {@code ...}} early, cannot go into Javadoc. */
    private static List<String> unsafeForJavadoc(String name, List<String> lines) {
        List<String> problems = new ArrayList<>();
        long open = 0;
        for (String line : lines) {
            if (line.contains("*/")) {
                problems.add("region " + name + ": contains */, which would end the Javadoc comment");
            }
            open += line.chars().filter(c -> c == '{').count() - line.chars().filter(c -> c == '}').count();
        }
        if (open != 0) {
            problems.add("region " + name + ": unbalanced braces end {@code ...} early");
        }
        return problems;
    }

    private static List<String> dedent(List<String> lines) {
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent).stripTrailing()).collect(Collectors.toList());
    }

    /** Layout aside: runs of whitespace count as one space, and none next to brackets and separators. */
    private static String normalized(List<String> lines) {
        return String.join(" ", lines).replaceAll("\\s+", " ").replaceAll(" ?([(){}\\[\\],;.]) ?", "$1").strip();
    }

    private static List<Path> files(Path root, String suffix) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.toString().endsWith(suffix)).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> read(Path file) {
        try {
            return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, List<String> lines) {
        try {
            Files.writeString(file, lines.stream().map(l -> l + "\n").collect(Collectors.joining()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A documentation block: its marker's name (or null), the lines that open and close it, its code. */
    private static final class Block {
        final String name;
        final int start;
        final int end;
        final String prefix;
        final List<String> code;

        Block(String name, int start, int end, String prefix, List<String> code) {
            this.name = name;
            this.start = start;
            this.end = end;
            this.prefix = prefix;
            this.code = code;
        }
    }
}
