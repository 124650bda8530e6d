package dev.jobqueue.internal;

import java.lang.management.ManagementFactory;
import java.util.UUID;

/** Default ids for workers and reapers: readable (host, pid) and unique (random suffix). */
public final class Identities {
    private Identities() {
    }

    /** {@code host-pid-random8}. */
    public static String unique() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            String runtime = ManagementFactory.getRuntimeMXBean().getName(); // "pid@host"
            host = runtime.contains("@") ? runtime.substring(runtime.indexOf('@') + 1) : "localhost";
        }
        return host + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
