package dev.jobqueue.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.contract.ChildJvm;
import dev.jobqueue.spi.ScheduleRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A child JVM upserts schedules, advances them and sets the queue's limits in FSYNC_EACH mode,
 * printing each acknowledged call ({@link ScheduleChild}); it is SIGKILLed at a random moment,
 * and every acknowledged upsert, advance and limits change must be in the directory when it is
 * reopened. Several rounds on the same directory, so each round also recovers from the earlier
 * kills, and one round compacts first, so the snapshot carries the schedules and limits.
 */
class FileScheduleKillTest {
    private static final String QUEUE = "kill-schedules";
    private Path dir;

    @BeforeEach
    void createDir() {
        dir = TempDirs.create("schedule-kill");
    }

    @AfterEach
    void deleteDir() {
        TempDirs.delete(dir);
    }

    @Test
    void everyAcknowledgedUpsertAdvanceAndLimitsChangeSurvivesSigkill() throws Exception {
        Random random = new Random();
        Map<String, Long> acknowledgedVersion = new HashMap<>();
        int rounds = 5;
        for (int round = 0; round < rounds; round++) {
            int killAfter = 1 + random.nextInt(300);
            List<String> lines;
            try (ChildJvm child = ChildJvm.start(ScheduleChild.class, dir.toString(), QUEUE, "r" + round)) {
                child.awaitLines(l -> l.size() >= killAfter, Duration.ofSeconds(60), killAfter + " acknowledged calls");
                Thread.sleep(random.nextInt(20));
                child.kill();
                lines = child.lines();
            }
            int lastLimit = 0;
            for (String line : lines) {
                String[] parts = line.split(" ");
                switch (parts[0]) {
                    case "U" -> acknowledgedVersion.merge(parts[1], 1L, Math::max);
                    case "A" -> acknowledgedVersion.put(parts[1], 2L);
                    case "L" -> lastLimit = Integer.parseInt(parts[1]);
                    default -> throw new AssertionError("unexpected line " + line);
                }
            }
            try (FileStorage reopened = FileStorage.open(dir)) {
                Map<String, ScheduleRecord> stored = new HashMap<>();
                reopened.listSchedules(QUEUE).forEach(s -> stored.put(s.id(), s));
                for (Map.Entry<String, Long> acked : acknowledgedVersion.entrySet()) {
                    ScheduleRecord s = stored.get(acked.getKey());
                    assertTrue(s != null, "acknowledged schedule " + acked.getKey() + " lost (round " + round + ")");
                    int n = Integer.parseInt(acked.getKey().substring(acked.getKey().indexOf('-') + 1));
                    assertArrayEquals(("def-" + n).getBytes(StandardCharsets.UTF_8), s.definition());
                    assertTrue(s.version() >= acked.getValue(), s + " older than acknowledged version " + acked.getValue());
                    assertEquals(Instant.ofEpochMilli(n + s.version() - 1), s.nextFireAt(), s.toString());
                }
                // each round's call in flight may have reached the disk too: one schedule more per round, one limit further
                assertTrue(stored.size() <= acknowledgedVersion.size() + round + 1,
                        stored.size() + " schedules for " + acknowledgedVersion.size() + " acknowledged");
                int limit = reopened.limits(QUEUE).maxRunning();
                if (lastLimit > 0) {
                    assertTrue(limit == lastLimit || limit == lastLimit + 1,
                            "limits " + limit + " after acknowledging " + lastLimit + " (round " + round + ")");
                }
                if (round == rounds / 2) {
                    reopened.compact();
                }
            }
        }
    }
}
