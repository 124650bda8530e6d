package dev.jobqueue.memory;

import java.util.function.UnaryOperator;

/**
 * The records of one queue by job id: an open-addressing hash table (linear probing) that keeps
 * each slot's hash in an int array beside the record array. A kept terminal record costs two
 * array slots and no map node, a lookup probes the int array and touches a record only when the
 * hash matches, and growing the table rehashes from the int array without reading any record.
 * Finished records are most of a busy queue's heap and the map is on every path, so this is worth
 * not using a ConcurrentHashMap.
 *
 * <p>Concurrency: the table is split into stripes by hash, each a small table guarded by its own
 * monitor, held for one lookup or update. Callers may take a record's monitor inside
 * {@link #compute} (stripe, then record), never the other way round: no one calls into the table
 * while holding a record's monitor.
 */
final class JobTable {
    private static final int STRIPE_BITS = 6;
    private static final int INITIAL_BITS = 4;
    /** Marks an empty slot in {@code hashes}; a real hash of 0 is stored as 1 instead. */
    private static final int EMPTY = 0;

    /** One part of the table; guarded by its own monitor. Slot i is empty iff hashes[i] == EMPTY. */
    private static final class Stripe {
        int bits = INITIAL_BITS;
        int[] hashes = new int[1 << INITIAL_BITS];
        JobRecord[] records = new JobRecord[1 << INITIAL_BITS];
        int size;
    }

    private final Stripe[] stripes;

    JobTable() {
        this(STRIPE_BITS);
    }

    /** A table of {@code 1 << stripeBits} stripes (tests use one to get long probe runs from few ids). */
    JobTable(int stripeBits) {
        stripes = new Stripe[1 << stripeBits];
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Stripe();
        }
    }

    JobRecord get(String id) {
        int h = hash(id);
        Stripe s = stripe(h);
        synchronized (s) {
            int i = find(s, h, id);
            return i < 0 ? null : s.records[i];
        }
    }

    /** Adds {@code record} unless its id is taken; true when added. */
    boolean putIfAbsent(JobRecord record) {
        int h = hash(record.id);
        Stripe s = stripe(h);
        synchronized (s) {
            if (find(s, h, record.id) >= 0) {
                return false;
            }
            insert(s, h, record);
            return true;
        }
    }

    /**
     * Replaces the record of {@code id} (null when none) by what {@code update} returns (the same
     * record to keep it, another record with the same id to replace it), atomically for that id.
     * {@code update} runs under the stripe's monitor; it may take record monitors.
     */
    JobRecord compute(String id, UnaryOperator<JobRecord> update) {
        int h = hash(id);
        Stripe s = stripe(h);
        synchronized (s) {
            int i = find(s, h, id);
            JobRecord existing = i < 0 ? null : s.records[i];
            JobRecord kept = update.apply(existing);
            if (kept != existing) {
                if (i >= 0) {
                    s.records[i] = kept; // same id, same hash, same slot
                } else {
                    insert(s, h, kept);
                }
            }
            return kept;
        }
    }

    /** Removes {@code record} if it is still the one stored for its id. */
    void remove(JobRecord record) {
        int h = hash(record.id);
        Stripe s = stripe(h);
        synchronized (s) {
            int i = find(s, h, record.id);
            if (i >= 0 && s.records[i] == record) {
                delete(s, i);
            }
        }
    }

    /** Records held. */
    int size() {
        int n = 0;
        for (Stripe s : stripes) {
            synchronized (s) {
                n += s.size;
            }
        }
        return n;
    }

    /**
     * The String hash through a full-avalanche mix (murmur3's finaliser), so that ids differing in
     * any bits spread over stripes (low bits) and slots (high bits); never EMPTY.
     */
    private static int hash(String id) {
        int h = id.hashCode();
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h == EMPTY ? 1 : h;
    }

    private Stripe stripe(int hash) {
        return stripes[hash & (stripes.length - 1)];
    }

    /** The slot where a hash's probe starts: the top bits, as the low ones chose the stripe. */
    private static int home(int hash, int bits) {
        return hash >>> (32 - bits);
    }

    /** The slot holding {@code id}, or -1. Caller holds the stripe's monitor. */
    private static int find(Stripe s, int hash, String id) {
        int[] hashes = s.hashes;
        int mask = hashes.length - 1;
        for (int i = home(hash, s.bits); ; i = (i + 1) & mask) {
            int h = hashes[i];
            if (h == EMPTY) {
                return -1;
            }
            if (h == hash && s.records[i].id.equals(id)) {
                return i;
            }
        }
    }

    /** Caller holds the stripe's monitor and knows the id is absent. */
    private static void insert(Stripe s, int hash, JobRecord r) {
        if (s.size >= (s.hashes.length >>> 1) + (s.hashes.length >>> 2)) {
            grow(s);
        }
        place(s.hashes, s.records, s.bits, hash, r);
        s.size++;
    }

    private static void place(int[] hashes, JobRecord[] records, int bits, int hash, JobRecord r) {
        int mask = hashes.length - 1;
        int i = home(hash, bits);
        while (hashes[i] != EMPTY) {
            i = (i + 1) & mask;
        }
        hashes[i] = hash;
        records[i] = r;
    }

    /**
     * Empties slot {@code i} and shifts later entries of the probe run back into the gap (no
     * tombstones, so lookups never slow down after many removals). Caller holds the stripe's monitor.
     */
    private static void delete(Stripe s, int i) {
        int[] hashes = s.hashes;
        JobRecord[] records = s.records;
        int mask = hashes.length - 1;
        int gap = i;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            int h = hashes[j];
            if (h == EMPTY) {
                break;
            }
            int home = home(h, s.bits);
            // The entry at j may move to the gap unless its home lies cyclically in (gap, j].
            boolean staysPut = gap <= j ? gap < home && home <= j : gap < home || home <= j;
            if (!staysPut) {
                hashes[gap] = h;
                records[gap] = records[j];
                gap = j;
            }
        }
        hashes[gap] = EMPTY;
        records[gap] = null;
        s.size--;
    }

    /** Doubles the stripe's slots, rehashing from the hash array alone. Caller holds the stripe's monitor. */
    private static void grow(Stripe s) {
        int bits = s.bits + 1;
        int[] hashes = new int[1 << bits];
        JobRecord[] records = new JobRecord[1 << bits];
        for (int i = 0; i < s.hashes.length; i++) {
            if (s.hashes[i] != EMPTY) {
                place(hashes, records, bits, s.hashes[i], s.records[i]);
            }
        }
        s.bits = bits;
        s.hashes = hashes;
        s.records = records;
    }
}
