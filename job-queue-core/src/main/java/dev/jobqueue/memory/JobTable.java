package dev.jobqueue.memory;

import java.util.function.UnaryOperator;

/**
 * The records of one queue by job id. A hash table whose chains link the records themselves
 * ({@link JobRecord#next}): a kept terminal record costs no map node, and growing the table
 * relinks records instead of copying nodes. Finished records are most of a busy queue's heap, so
 * this is worth not using a ConcurrentHashMap.
 *
 * <p>Concurrency: the table is split into stripes by hash, each a small table guarded by its own
 * monitor, held for one lookup or update. Callers may take a record's monitor inside
 * {@link #compute} (stripe, then record), never the other way round: no one calls into the table
 * while holding a record's monitor.
 */
final class JobTable {
    private static final int STRIPE_BITS = 6;
    private static final int STRIPES = 1 << STRIPE_BITS;
    private static final int INITIAL_BUCKETS = 16;

    /** One part of the table; guarded by its own monitor. */
    private static final class Stripe {
        JobRecord[] buckets = new JobRecord[INITIAL_BUCKETS];
        int size;
    }

    private final Stripe[] stripes = new Stripe[STRIPES];

    JobTable() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe();
        }
    }

    /** The hash a record keeps for its id: the String hash with its high bits folded in. */
    static int hash(String id) {
        int h = id.hashCode();
        return h ^ (h >>> 16);
    }

    JobRecord get(String id) {
        int h = hash(id);
        Stripe s = stripe(h);
        synchronized (s) {
            return find(s, h, id);
        }
    }

    /** Adds {@code record} unless its id is taken; true when added. */
    boolean putIfAbsent(JobRecord record) {
        Stripe s = stripe(record.hash);
        synchronized (s) {
            if (find(s, record.hash, record.id) != null) {
                return false;
            }
            link(s, record);
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
            JobRecord existing = find(s, h, id);
            JobRecord kept = update.apply(existing);
            if (kept != existing) {
                if (existing != null) {
                    unlink(s, existing);
                }
                link(s, kept);
            }
            return kept;
        }
    }

    /** Removes {@code record} if it is still the one stored for its id. */
    void remove(JobRecord record) {
        Stripe s = stripe(record.hash);
        synchronized (s) {
            unlink(s, record);
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

    private Stripe stripe(int hash) {
        return stripes[hash & (STRIPES - 1)];
    }

    private static int bucket(int hash, int buckets) {
        return (hash >>> STRIPE_BITS) & (buckets - 1);
    }

    /** Caller holds the stripe's monitor. */
    private static JobRecord find(Stripe s, int hash, String id) {
        JobRecord[] b = s.buckets;
        for (JobRecord r = b[bucket(hash, b.length)]; r != null; r = r.next) {
            if (r.hash == hash && r.id.equals(id)) {
                return r;
            }
        }
        return null;
    }

    /** Caller holds the stripe's monitor and knows the id is free. */
    private static void link(Stripe s, JobRecord r) {
        if (s.size >= s.buckets.length - (s.buckets.length >>> 2)) {
            grow(s);
        }
        JobRecord[] b = s.buckets;
        int i = bucket(r.hash, b.length);
        r.next = b[i];
        b[i] = r;
        s.size++;
    }

    /** Caller holds the stripe's monitor. */
    private static void unlink(Stripe s, JobRecord r) {
        JobRecord[] b = s.buckets;
        int i = bucket(r.hash, b.length);
        JobRecord prev = null;
        for (JobRecord at = b[i]; at != null; prev = at, at = at.next) {
            if (at == r) {
                if (prev == null) {
                    b[i] = r.next;
                } else {
                    prev.next = r.next;
                }
                r.next = null;
                s.size--;
                return;
            }
        }
    }

    /** Doubles the stripe's buckets, relinking its records. Caller holds the stripe's monitor. */
    private static void grow(Stripe s) {
        JobRecord[] old = s.buckets;
        JobRecord[] bigger = new JobRecord[old.length * 2];
        for (JobRecord head : old) {
            JobRecord r = head;
            while (r != null) {
                JobRecord next = r.next;
                int i = bucket(r.hash, bigger.length);
                r.next = bigger[i];
                bigger[i] = r;
                r = next;
            }
        }
        s.buckets = bigger;
    }
}
