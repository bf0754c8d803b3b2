package io.lockscope.analyzer.heap;

import java.util.Arrays;

/** A set of longs with open addressing: no boxing on the hot path of a pass over every object. */
final class LongSet {

    private static final long EMPTY = 0; // HPROF never uses id 0 for an object
    private long[] slots = new long[16];
    private int size;

    boolean add(long v) {
        if (v == EMPTY) {
            return false;
        }
        if ((size + 1) * 2 > slots.length) {
            grow();
        }
        int i = index(v, slots.length);
        while (slots[i] != EMPTY) {
            if (slots[i] == v) {
                return false;
            }
            i = (i + 1) & (slots.length - 1);
        }
        slots[i] = v;
        size++;
        return true;
    }

    boolean contains(long v) {
        if (v == EMPTY || size == 0) {
            return false;
        }
        int i = index(v, slots.length);
        while (slots[i] != EMPTY) {
            if (slots[i] == v) {
                return true;
            }
            i = (i + 1) & (slots.length - 1);
        }
        return false;
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] old = slots;
        slots = new long[old.length * 2];
        size = 0;
        for (long v : old) {
            if (v != EMPTY) {
                add(v);
            }
        }
    }

    private static int index(long v, int length) {
        long h = v * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & (length - 1);
    }

    long[] toArray() {
        return Arrays.stream(slots).filter(v -> v != EMPTY).toArray();
    }
}
