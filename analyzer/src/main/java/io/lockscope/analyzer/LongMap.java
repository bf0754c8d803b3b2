package io.lockscope.analyzer;

import java.util.Objects;

/**
 * Values by a long key (an object id of a heap dump, a pool key of a recording) without boxing the
 * key: open addressing, linear probing. A value is never null, so that {@link #get} returning null
 * means the key is absent.
 */
public final class LongMap<V> {

    private long[] keys = new long[64];
    private Object[] values = new Object[64];
    private int size;

    /** The value of the key, or null if it has none. */
    @SuppressWarnings("unchecked")
    public V get(long key) {
        int mask = keys.length - 1;
        for (int i = index(key, mask); values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                return (V) values[i];
            }
        }
        return null;
    }

    /** Sets the key's value, replacing any it had. */
    public void put(long key, V value) {
        Objects.requireNonNull(value, "a LongMap holds no null values");
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int i = index(key, mask);
        while (values[i] != null && keys[i] != key) {
            i = (i + 1) & mask;
        }
        if (values[i] == null) {
            size++;
        }
        keys[i] = key;
        values[i] = value;
    }

    public int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new Object[oldValues.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != null) {
                put(oldKeys[i], (V) oldValues[i]);
            }
        }
    }

    private static int index(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
