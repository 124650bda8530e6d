package dev.jobqueue.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.jobqueue.contract.TestJobs;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** JobTable finds, adds, replaces and removes records exactly like a HashMap keyed by id. */
class JobTableProperties {

    /**
     * Each int is an operation on id "j" + (op / 4): putIfAbsent, compute (replace when present,
     * add when absent), remove of the stored record, get. Few distinct ids over many operations
     * make long probe runs, removals inside them and growth.
     */
    @Property(tries = 300)
    void behavesLikeAHashMap(@ForAll @Size(max = 600) List<@IntRange(min = 0, max = 1199) Integer> operations,
                             @ForAll @IntRange(min = 0, max = 6) int stripeBits) {
        JobTable tested = new JobTable(stripeBits);
        Map<String, JobRecord> reference = new HashMap<>();
        int made = 0;
        for (int op : operations) {
            String id = "j" + (op / 4);
            switch (op % 4) {
                case 0 -> {
                    JobRecord r = record(id, made++);
                    assertEquals(reference.putIfAbsent(id, r) == null, tested.putIfAbsent(r), "putIfAbsent " + id);
                }
                case 1 -> {
                    JobRecord r = record(id, made++);
                    reference.put(id, r);
                    assertSame(r, tested.compute(id, existing -> r), "compute " + id);
                }
                case 2 -> {
                    JobRecord stored = reference.remove(id);
                    if (stored != null) {
                        tested.remove(record(id, made++)); // not the stored one: no effect
                        tested.remove(stored);
                    }
                }
                default -> assertSame(reference.get(id), tested.get(id), "get " + id);
            }
            assertEquals(reference.size(), tested.size(), "size");
        }
        for (Map.Entry<String, JobRecord> e : reference.entrySet()) {
            assertSame(e.getValue(), tested.get(e.getKey()), "get " + e.getKey());
        }
    }

    private static JobRecord record(String id, int sequence) {
        return new JobRecord(TestJobs.job(id).build(), new byte[0], sequence, 0);
    }
}
