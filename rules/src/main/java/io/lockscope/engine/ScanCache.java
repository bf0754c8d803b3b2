package io.lockscope.engine;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * A bounded cache for values that are asked for in long scans, one after the other, over and over:
 * each rule walks a JVM's snapshots from the first to the last. A least-recently-used cache smaller
 * than the scan keeps nothing for the next one (each entry is evicted just before it is asked for
 * again); this one keeps the first entries that fit its budget for the whole run, and the last few
 * others besides (a rule comparing each snapshot with the one before finds both).
 */
public final class ScanCache<K, V> {

    /** Entries kept besides the first ones, most recently used last. */
    static final int RECENT = 8;

    private final long budget;
    private final ToLongFunction<V> weight;
    private final Map<K, V> kept = new HashMap<>();
    private long keptWeight;
    private final Map<K, V> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
            return size() > RECENT;
        }
    };

    /** A cache of entries whose weights add up to at most {@code budget}, and a few more. */
    public ScanCache(long budget, ToLongFunction<V> weight) {
        this.budget = budget;
        this.weight = weight;
    }

    public synchronized V get(K key) {
        V v = kept.get(key);
        return v != null ? v : recent.get(key);
    }

    public synchronized void put(K key, V value) {
        long w = weight.applyAsLong(value);
        if (keptWeight + w <= budget) {
            kept.put(key, value);
            keptWeight += w;
        } else {
            recent.put(key, value);
        }
    }
}
