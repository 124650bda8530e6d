package dev.jobqueue.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The public API of a module as text: every public or protected type, constructor, method and
 * field of the given packages, with generics and bounds, one per line and sorted, so that a
 * checked-in copy shows every API change in review and a test fails when the API changes without it.
 *
 * <p>Each library module has a test that compares its API with the file {@code api/<module>.api}:
 *
 * <!-- snippet: api-signature-test -->
 * <pre>{@code
 * class FileApiSignatureTest {
 *     @Test
 *     void publicApiMatchesTheCheckedInSignature() {
 *         ApiSignature.of(FileStorage.class, "dev.jobqueue.file")
 *                 .assertMatches(ApiSignature.moduleFile("job-queue-file"));
 *     }
 * }
 * }</pre>
 *
 * <p>After an intended API change, {@code -Dapi.update=true} rewrites the files instead of failing
 * (see {@link #UPDATE_COMMAND}).
 */
public final class ApiSignature {

    /** The system property that makes {@link #assertMatches} rewrite the file instead of failing. */
    public static final String UPDATE_PROPERTY = "api.update";

    /** The command, run from the repository root, that regenerates every module's API file. */
    public static final String UPDATE_COMMAND =
            "mvn -B -o -q test -Dtest='*ApiSignatureTest' -Dsurefire.failIfNoSpecifiedTests=false"
                    + " -Dapi.update=true";

    private final List<String> lines;

    private ApiSignature(List<String> lines) {
        this.lines = List.copyOf(lines);
    }

    /**
     * The API of the named packages (not their subpackages) of the jar or class directory that
     * holds {@code anchor}.
     *
     * @param anchor   any class of the module, to find where its classes are
     * @param packages the exported packages, e.g. {@code "dev.jobqueue", "dev.jobqueue.spi"}
     * @return the signature, one line per type and member
     */
    public static ApiSignature of(Class<?> anchor, String... packages) {
        if (anchor == null) {
            throw new IllegalArgumentException("anchor must not be null");
        }
        if (packages == null || packages.length == 0) {
            throw new IllegalArgumentException("packages must name at least one package");
        }
        Set<String> wanted = Set.of(packages);
        List<Class<?>> types = new ArrayList<>();
        for (String name : classNames(location(anchor))) {
            int dot = name.lastIndexOf('.');
            if (dot > 0 && wanted.contains(name.substring(0, dot))) {
                Class<?> type = load(name, anchor.getClassLoader());
                if (isApi(type)) {
                    types.add(type);
                }
            }
        }
        types.sort(Comparator.comparing(Class::getName));
        List<String> lines = new ArrayList<>();
        for (Class<?> type : types) {
            lines.add(typeLine(type));
            lines.addAll(memberLines(type));
        }
        return new ApiSignature(lines);
    }

    /**
     * The checked-in API file of a library module, {@code <repo>/<module>/api/<module>.api}, found
     * from the directory the tests run in (any module of the repository).
     *
     * @param module the module's directory name, e.g. {@code "job-queue-core"}
     * @return the path of its API file
     */
    public static Path moduleFile(String module) {
        Path base = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
        Path repo = Files.exists(base.resolve(module)) ? base : base.getParent();
        return repo.resolve(module).resolve("api").resolve(module + ".api");
    }

    /** @return the signature's lines, sorted by type and then by member */
    public List<String> lines() {
        return lines;
    }

    /** @return the signature as the API file holds it: one line each, ending with a newline */
    public String text() {
        return lines.stream().map(l -> l + "\n").collect(Collectors.joining());
    }

    /**
     * Fails, listing the lines that differ and the command that updates the file, unless
     * {@code file} holds exactly this signature; with {@code -Dapi.update=true} writes it instead.
     *
     * @param file the checked-in API file
     */
    public void assertMatches(Path file) {
        assertMatches(file, Boolean.getBoolean(UPDATE_PROPERTY));
    }

    void assertMatches(Path file, boolean update) {
        try {
            if (update) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, text(), StandardCharsets.UTF_8);
                return;
            }
            if (!Files.exists(file)) {
                throw new AssertionError("No API signature file " + file + "; create it with:\n  " + UPDATE_COMMAND);
            }
            List<String> expected = Files.readAllLines(file, StandardCharsets.UTF_8);
            String diff = diff(expected, lines);
            if (!diff.isEmpty()) {
                throw new AssertionError("The public API differs from " + file
                        + " (- only in the file, + only in the code):\n" + diff
                        + "If the change is intended, update the file and commit it:\n  " + UPDATE_COMMAND);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The differing lines, each member under its type's line so that a change names its type. */
    static String diff(List<String> expected, List<String> actual) {
        Map<String, Set<String>> inFile = byType(expected);
        Map<String, Set<String>> inCode = byType(actual);
        Set<String> types = new TreeSet<>(inFile.keySet());
        types.addAll(inCode.keySet());
        StringBuilder out = new StringBuilder();
        for (String type : types) {
            Set<String> old = inFile.get(type);
            Set<String> now = inCode.get(type);
            if (old == null || now == null) {
                char sign = old == null ? '+' : '-';
                out.append(sign).append(' ').append(type).append('\n');
                (old == null ? now : old).forEach(m -> out.append(sign).append(' ').append(m).append('\n'));
                continue;
            }
            Set<String> changed = new TreeSet<>();
            old.stream().filter(m -> !now.contains(m)).forEach(m -> changed.add(m + "\u0000-"));
            now.stream().filter(m -> !old.contains(m)).forEach(m -> changed.add(m + "\u0000+"));
            if (!changed.isEmpty()) {
                out.append("  ").append(type).append('\n');
                for (String entry : changed) {
                    int sep = entry.lastIndexOf('\u0000');
                    out.append(entry.charAt(sep + 1)).append(' ').append(entry, 0, sep).append('\n');
                }
            }
        }
        return out.toString();
    }

    private static Map<String, Set<String>> byType(List<String> lines) {
        Map<String, Set<String>> types = new TreeMap<>();
        Set<String> members = null;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith(" ") && members != null) {
                members.add(line);
            } else {
                members = new TreeSet<>();
                types.put(line, members);
            }
        }
        return types;
    }

    private static Path location(Class<?> anchor) {
        try {
            return Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the classes of " + anchor, e);
        }
    }

    private static List<String> classNames(Path location) {
        try {
            if (Files.isDirectory(location)) {
                try (Stream<Path> files = Files.walk(location)) {
                    return files.map(location::relativize).map(Path::toString)
                            .filter(n -> n.endsWith(".class"))
                            .map(n -> n.replace(location.getFileSystem().getSeparator(), "."))
                            .map(n -> n.substring(0, n.length() - ".class".length()))
                            .collect(Collectors.toList());
                }
            }
            try (JarFile jar = new JarFile(location.toFile())) {
                return jar.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class"))
                        .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                        .collect(Collectors.toList());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Class<?> load(String name, ClassLoader loader) {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isApi(Class<?> type) {
        if (type.isSynthetic() || type.isAnonymousClass() || type.isLocalClass() || type.getName().endsWith("package-info")) {
            return false;
        }
        for (Class<?> t = type; t != null; t = t.getDeclaringClass()) {
            if (!isVisible(t.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static boolean isVisible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static String typeLine(Class<?> type) {
        StringBuilder line = new StringBuilder();
        int modifiers = type.getModifiers() & (Modifier.PUBLIC | Modifier.PROTECTED | Modifier.STATIC | Modifier.FINAL | Modifier.ABSTRACT);
        if (type.isInterface()) {
            modifiers &= ~Modifier.ABSTRACT;
        }
        line.append(Modifier.toString(modifiers)).append(' ').append(kind(type)).append(' ').append(type.getName());
        line.append(typeParameters(type.getTypeParameters()));
        if (type.getGenericSuperclass() != null && type.getSuperclass() != Object.class
                && !type.isEnum() && !type.isRecord()) {
            line.append(" extends ").append(name(type.getGenericSuperclass()));
        }
        Type[] interfaces = type.getGenericInterfaces();
        if (interfaces.length > 0) {
            line.append(type.isInterface() ? " extends " : " implements ")
                    .append(Arrays.stream(interfaces).map(ApiSignature::name).collect(Collectors.joining(", ")));
        }
        if (type.isSealed()) {
            line.append(" permits ").append(Arrays.stream(type.getPermittedSubclasses()).map(Class::getName)
                    .sorted().collect(Collectors.joining(", ")));
        }
        return line.toString();
    }

    private static String kind(Class<?> type) {
        if (type.isAnnotation()) {
            return "@interface";
        }
        if (type.isInterface()) {
            return "interface";
        }
        if (type.isEnum()) {
            return "enum";
        }
        return type.isRecord() ? "record" : "class";
    }

    private static List<String> memberLines(Class<?> type) {
        List<String> members = new ArrayList<>();
        for (Field field : type.getDeclaredFields()) {
            if (isMember(field)) {
                members.add("  " + modifiers(field) + name(field.getGenericType()) + " " + field.getName());
            }
        }
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            if (isMember(constructor)) {
                members.add("  " + modifiers(constructor) + typeParameters(constructor.getTypeParameters())
                        + simpleName(type) + parameters(constructor));
            }
        }
        for (Method method : type.getDeclaredMethods()) {
            if (isMember(method) && !method.isBridge()) {
                String typeParameters = typeParameters(method.getTypeParameters());
                members.add("  " + modifiers(method) + (method.isDefault() ? "default " : "")
                        + (typeParameters.isEmpty() ? "" : typeParameters + " ")
                        + name(method.getGenericReturnType()) + " " + method.getName() + parameters(method));
            }
        }
        members.sort(Comparator.naturalOrder());
        return members;
    }

    private static boolean isMember(Member member) {
        return !member.isSynthetic() && isVisible(member.getModifiers());
    }

    private static String modifiers(Member member) {
        int modifiers = member.getModifiers() & (Modifier.PUBLIC | Modifier.PROTECTED | Modifier.STATIC | Modifier.FINAL | Modifier.ABSTRACT);
        if (member.getDeclaringClass().isInterface()) {
            modifiers &= ~(Modifier.PUBLIC | Modifier.ABSTRACT);
        }
        String text = Modifier.toString(modifiers);
        return text.isEmpty() ? "" : text + " ";
    }

    private static String simpleName(Class<?> type) {
        String name = type.getName();
        return name.substring(name.lastIndexOf('.') + 1);
    }

    private static String parameters(Executable executable) {
        Type[] types = executable.getGenericParameterTypes();
        if (types.length != executable.getParameterCount()) {
            // Inner-class and enum constructors: the generic view leaves out implicit parameters.
            types = executable.getParameterTypes();
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < types.length; i++) {
            String name = name(types[i]);
            if (executable.isVarArgs() && i == types.length - 1 && name.endsWith("[]")) {
                name = name.substring(0, name.length() - 2) + "...";
            }
            names.add(name);
        }
        String text = "(" + String.join(", ", names) + ")";
        Type[] exceptions = executable.getGenericExceptionTypes();
        if (exceptions.length > 0) {
            text += " throws " + Arrays.stream(exceptions).map(ApiSignature::name).sorted().collect(Collectors.joining(", "));
        }
        return text;
    }

    private static String typeParameters(TypeVariable<?>[] variables) {
        if (variables.length == 0) {
            return "";
        }
        return Arrays.stream(variables).map(v -> {
            List<String> bounds = Arrays.stream(v.getBounds()).filter(b -> b != Object.class)
                    .map(ApiSignature::name).collect(Collectors.toList());
            return bounds.isEmpty() ? v.getName() : v.getName() + " extends " + String.join(" & ", bounds);
        }).collect(Collectors.joining(", ", "<", ">"));
    }

    private static String name(Type type) {
        if (type instanceof Class<?>) {
            Class<?> c = (Class<?>) type;
            return c.isArray() ? name(c.getComponentType()) + "[]" : c.getName();
        }
        if (type instanceof ParameterizedType) {
            ParameterizedType p = (ParameterizedType) type;
            return name(p.getRawType()) + Arrays.stream(p.getActualTypeArguments()).map(ApiSignature::name)
                    .collect(Collectors.joining(", ", "<", ">"));
        }
        if (type instanceof GenericArrayType) {
            return name(((GenericArrayType) type).getGenericComponentType()) + "[]";
        }
        if (type instanceof WildcardType) {
            WildcardType w = (WildcardType) type;
            if (w.getLowerBounds().length > 0) {
                return "? super " + name(w.getLowerBounds()[0]);
            }
            Type upper = w.getUpperBounds()[0];
            return upper == Object.class ? "?" : "? extends " + name(upper);
        }
        return type.getTypeName();
    }
}
