package dev.jobqueue.file;

import dev.jobqueue.spi.NewJob;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Child process of the kill tests: enqueues {@code <prefix>-<n>} jobs in FSYNC_EACH mode from
 * several threads and prints each id once the enqueue call has returned (is acknowledged).
 * Arguments: {@code dir queue prefix count threads [durability]} (default FSYNC_EACH).
 */
public final class EnqueueChild {
    private EnqueueChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String queue = args[1];
        String prefix = args[2];
        int count = Integer.parseInt(args[3]);
        int threads = Integer.parseInt(args[4]);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Durability durability = args.length > 5 ? Durability.valueOf(args[5]) : Durability.FSYNC_EACH;
        FileStorage storage = FileStorage.open(dir, FileStorageOptions.builder().durability(durability).build());
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            Thread producer = new Thread(() -> {
                for (int i = first; i < count; i += threads) {
                    String id = prefix + "-" + i;
                    storage.enqueue(queue, new NewJob(id, id.getBytes(StandardCharsets.UTF_8), 0, Duration.ZERO, null,
                            3, 1, Duration.ofHours(1), false));
                    synchronized (out) {
                        out.println(id);
                    }
                }
            });
            producer.start();
            producers.add(producer);
        }
        for (Thread producer : producers) {
            producer.join();
        }
        storage.close();
    }
}
