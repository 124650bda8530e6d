package dev.jobqueue.internal;

import java.lang.reflect.Method;
import java.util.concurrent.ThreadFactory;

/**
 * Virtual threads without compiling against Java 21: the library targets Java 17, so the
 * {@code Thread.ofVirtual()} builder is found by reflection on a Java 21+ runtime.
 */
public final class VirtualThreads {
    /** The first Java release with (final) virtual threads. */
    public static final int MIN_JAVA = 21;

    private VirtualThreads() {
    }

    /** Whether this JVM has virtual threads. */
    public static boolean available() {
        return Runtime.version().feature() >= MIN_JAVA;
    }

    /** Fails with an IllegalArgumentException naming the option and the Java version when unavailable. */
    public static void requireAvailable() {
        if (!available()) {
            throw new IllegalArgumentException("virtualThreads(true) needs Java " + MIN_JAVA + " or later; this JVM is Java "
                    + Runtime.version().feature() + " (" + System.getProperty("java.version")
                    + "): use the default platform threads or an executor(...)");
        }
    }

    /** A factory of virtual threads named {@code prefix-1}, {@code prefix-2}, ... */
    static ThreadFactory factory(String prefix) {
        requireAvailable();
        try {
            Method ofVirtual = Thread.class.getMethod("ofVirtual");
            Object builder = ofVirtual.invoke(null);
            Class<?> builderType = Class.forName("java.lang.Thread$Builder");
            builder = builderType.getMethod("name", String.class, long.class).invoke(builder, prefix + "-", 1L);
            return (ThreadFactory) builderType.getMethod("factory").invoke(builder);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create virtual threads on Java " + Runtime.version(), e);
        }
    }
}
