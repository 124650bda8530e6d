package dev.jobqueue.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jobqueue.Batch;
import dev.jobqueue.Job;
import dev.jobqueue.Queue;
import dev.jobqueue.memory.MemoryStorage;
import dev.jobqueue.spi.Storage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * An audit-log worker with a batch handler: audit events are enqueued one by one by the
 * application, and the worker writes them to local JSON Lines files in batches of up to 100 events
 * or whatever arrived within 5 seconds, one file per batch. Each file is written atomically: to a
 * temporary file in the same directory, forced to disk, then renamed into place, so a reader (a
 * log shipper watching the directory) never sees half a file.
 *
 * <pre>
 * mvn -B -q -pl examples -am test-compile exec:java -Dexec.mainClass=dev.jobqueue.examples.AuditLogWorker
 * </pre>
 *
 * <p>Delivery is at least once: a batch whose worker dies after the rename but before the jobs
 * are completed is written again, in another file. Every line carries its job id
 * ({@code "jobId"}), so the consumer drops the repeats.
 */
public final class AuditLogWorker implements AutoCloseable {
    /**
     * One audit event.
     *
     * @param actor  who did it
     * @param action what they did
     * @param target what they did it to
     * @param at     when (ISO-8601)
     */
    public record AuditEvent(String actor, String action, String target, String at) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path directory;
    private final Queue<AuditEvent, String> queue;

    /**
     * A worker writing batches of up to 100 events, or every 5 s, to {@code directory}.
     *
     * @param storage the queue's storage
     * @param directory where the JSONL files go (created when missing)
     * @throws IOException when the directory cannot be created
     */
    public AuditLogWorker(Storage storage, Path directory) throws IOException {
        this(storage, directory, 100, Duration.ofSeconds(5));
    }

    /**
     * A worker with other batch bounds.
     *
     * @param storage the queue's storage
     * @param directory where the JSONL files go (created when missing)
     * @param maxEvents the most events per file
     * @param maxWait how long a batch waits for more events once it has one
     * @throws IOException when the directory cannot be created
     */
    public AuditLogWorker(Storage storage, Path directory, int maxEvents, Duration maxWait) throws IOException {
        this.directory = Files.createDirectories(directory);
        this.queue = Queue.builder(storage, AuditEvent.class, String.class)
                .name("audit")
                .batchHandler(this::writeBatch, maxEvents, maxWait)
                .build();
    }

    /** Starts writing. */
    public void start() {
        queue.start();
    }

    /**
     * The queue, for producers in this process (other processes build their own on the same storage).
     *
     * @return the audit queue
     */
    public Queue<AuditEvent, String> queue() {
        return queue;
    }

    /**
     * One batch, one file: every job completes with the file's name, or (on an I/O error) the
     * handler throws and every job of the batch is retried after the queue's backoff.
     */
    private void writeBatch(Batch<AuditEvent, String> batch) throws IOException {
        String name = "audit-" + Instant.now().toEpochMilli() + "-" + UUID.randomUUID() + ".jsonl";
        Path temp = directory.resolve("." + name + ".tmp"); // hidden: log shippers skip it
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
                for (Job<AuditEvent> job : batch.jobs()) {
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("jobId", job.id());
                    line.put("actor", job.payload().actor());
                    line.put("action", job.payload().action());
                    line.put("target", job.payload().target());
                    line.put("at", job.payload().at());
                    out.write(JSON.writeValueAsBytes(line));
                    out.write('\n');
                }
                out.flush();
                channel.force(true); // the content is on disk before the name appears
            }
            try {
                Files.move(temp, directory.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the audit directory " + directory + " does not support atomic renames", e);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        for (Job<AuditEvent> job : batch.jobs()) {
            batch.complete(job, name);
        }
    }

    /** Stops the worker; running batches get the queue's shutdown grace. */
    @Override
    public void close() {
        queue.close();
    }

    /**
     * Writes 250 events to a temporary directory and lists the files.
     *
     * @param args unused
     * @throws Exception on I/O errors
     */
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("audit");
        try (MemoryStorage storage = new MemoryStorage();
             AuditLogWorker worker = new AuditLogWorker(storage, dir)) {
            worker.start();
            for (int i = 0; i < 250; i++) {
                worker.queue().enqueue("event-" + i,
                        new AuditEvent("user-" + (i % 7), "login", "console", Instant.now().toString()));
            }
            // 100 + 100 at once, the last 51 once the 5 s wait ends
            worker.queue().enqueueAndWait("event-last", new AuditEvent("admin", "logout", "console",
                    Instant.now().toString()), Duration.ofSeconds(30));
            try (var files = Files.list(dir)) {
                files.sorted().forEach(f -> {
                    try {
                        System.out.println(f.getFileName() + ": " + Files.readAllLines(f, StandardCharsets.UTF_8).size()
                                + " events");
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            }
        }
    }
}
