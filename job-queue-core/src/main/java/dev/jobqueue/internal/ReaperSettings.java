package dev.jobqueue.internal;

import dev.jobqueue.ReaperListener;
import dev.jobqueue.spi.Storage;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;

/** The validated configuration of one reaper. */
public record ReaperSettings(Storage storage, String name, Duration scanInterval, int batchSize,
                             boolean leaderElection, Duration lockTtl, Duration renewInterval,
                             Duration acquireRetryInterval, String reaperId, ReaperListener listener,
                             Logger logger, Clock clock) {
}
