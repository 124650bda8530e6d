package dev.jobqueue.file;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices appends by other processes (inotify through {@link WatchService} on Linux) and asks the
 * storage loop to catch up, which wakes waiting claimers and tells subscribers about jobs other
 * processes finished. A size check every {@link #SAFETY_NET_MILLIS} covers missed events; it is a
 * safety net, not the wake-up path. If the watch service breaks, the watcher restarts and
 * subscribers are told to re-check ({@code onResubscribed}).
 */
final class DirectoryWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryWatcher.class);
    static final long SAFETY_NET_MILLIS = 250;

    private final Path dir;
    private final BooleanSupplier foreignBytesPending;
    private final Runnable catchUp;
    private final Runnable restarted;
    private final Thread thread;
    private volatile boolean closed;
    private volatile WatchService service;

    DirectoryWatcher(Path dir, BooleanSupplier foreignBytesPending, Runnable catchUp, Runnable restarted,
                     String threadName) {
        this.dir = dir;
        this.foreignBytesPending = foreignBytesPending;
        this.catchUp = catchUp;
        this.restarted = restarted;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        boolean first = true;
        while (!closed) {
            try (WatchService watch = dir.getFileSystem().newWatchService()) {
                service = watch;
                dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
                if (!first) {
                    restarted.run();
                }
                first = false;
                watchUntilClosed(watch);
            } catch (ClosedWatchServiceException e) {
                if (!closed) {
                    LOG.warn("directory watch of {} closed unexpectedly; restarting", dir);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("directory watch of {} failed; restarting", dir, e);
                pause();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void watchUntilClosed(WatchService watch) throws InterruptedException {
        while (!closed) {
            WatchKey key = watch.poll(SAFETY_NET_MILLIS, TimeUnit.MILLISECONDS);
            if (key != null) {
                key.pollEvents();
                if (!key.reset()) {
                    throw new ClosedWatchServiceException();
                }
            }
            if (!closed && foreignBytesPending.getAsBoolean()) {
                catchUp.run();
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(SAFETY_NET_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        WatchService watch = service;
        if (watch != null) {
            try {
                watch.close();
            } catch (IOException e) {
                LOG.debug("closing the watch service of {}", dir, e);
            }
        }
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
