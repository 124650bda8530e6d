package dev.jobqueue.redis.processes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The event logs {@link ReaperNode} children write ("millis EVENT" per line), read by the tests. */
final class ReaperLogs {
    private ReaperLogs() {
    }

    static Path log(Path dir, String node) {
        return dir.resolve("reaper-" + node + ".log");
    }

    /** Times of one kind of event in a node's log; empty while the node has written nothing. */
    static List<Long> events(Path dir, String node, String kind) {
        List<Long> times = new ArrayList<>();
        try {
            if (!Files.exists(log(dir, node))) {
                return times;
            }
            for (String line : Files.readAllLines(log(dir, node))) {
                String[] f = line.split(" ");
                if (f.length >= 2 && f[1].equals(kind)) {
                    times.add(Long.parseLong(f[0]));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return times;
    }
}
