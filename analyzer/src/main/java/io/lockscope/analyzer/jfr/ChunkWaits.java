package io.lockscope.analyzer.jfr;

import io.lockscope.analyzer.LongMap;
import io.lockscope.model.Recording;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The two events most of a recording is (jdk.JavaMonitorEnter, jdk.ThreadPark), added up per lock
 * for a chunk by pool keys, and named once, at the chunk's end, for the builder.
 */
final class ChunkWaits {

    private final ConstantPools pools;
    private final RecordingBuilder sink;

    ChunkWaits(ConstantPools pools, RecordingBuilder sink) {
        this.pools = pools;
        this.sink = sink;
    }

    // ---- the two events most of a recording is, added up per lock for the chunk, by pool keys

    /** A chunk's waits on one lock: jdk.JavaMonitorEnter on a monitor, or jdk.ThreadPark on a blocker. */
    private static final class Waits {
        final boolean monitor;
        final long classKey;
        final long address;
        /** the next lock at the same address, of another class */
        Waits next;
        long events;
        long totalNanos;
        long longestNanos = -1;
        long longestStack = -1;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        final KeyCounts owners = new KeyCounts();
        /**
         * Waits by stack and thread, each pair packed in one long ({@link #pair}): the waiters
         * and, from the stacks, the monitors they held are made from these at the chunk's end
         */
        final KeyCounts pairs = new KeyCounts();
        /** the pairs whose keys do not fit in one long: threads by stack */
        final LongMap<KeyCounts> widePairs = new LongMap<>();
        final KeyCounts wideStacks = new KeyCounts();

        Waits(boolean monitor, long classKey, long address) {
            this.monitor = monitor;
            this.classKey = classKey;
            this.address = address;
        }
    }

    /** Counts per pool key, in the order the keys came. */
    private static final class KeyCounts {
        final LongMap<long[]> counts = new LongMap<>();
        long[] order = new long[8];
        int size;

        void add(long key) {
            add(key, 1);
        }

        void add(long key, long count) {
            long[] n = counts.get(key);
            if (n != null) {
                n[0] += count;
                return;
            }
            counts.put(key, new long[] {count});
            if (size == order.length) {
                order = java.util.Arrays.copyOf(order, size * 2);
            }
            order[size++] = key;
        }
    }

    private final LongMap<Waits> monitorWaits = new LongMap<>();
    private final LongMap<Waits> parkWaits = new LongMap<>();
    private final List<Waits> waitsInOrder = new ArrayList<>();
    long unblockedParks;

    void waited(boolean monitor, long classKey, long address, long start, long nanos, long thread, long owner,
            long stackKey) {
        LongMap<Waits> byAddress = monitor ? monitorWaits : parkWaits;
        Waits w = byAddress.get(address);
        while (w != null && w.classKey != classKey) {
            w = w.next;
        }
        if (w == null) {
            w = new Waits(monitor, classKey, address);
            w.next = byAddress.get(address);
            byAddress.put(address, w);
            waitsInOrder.add(w);
        }
        w.events++;
        w.totalNanos += nanos;
        if (nanos > w.longestNanos) {
            w.longestNanos = nanos;
            w.longestStack = stackKey;
        }
        w.first = Math.min(w.first, start);
        w.last = Math.max(w.last, start);
        if (stackKey >= -1 && stackKey < Integer.MAX_VALUE && thread >= 0 && thread <= 0xffffffffL) {
            w.pairs.add(pair(stackKey, thread));
        } else {
            KeyCounts byStack = w.widePairs.get(stackKey);
            if (byStack == null) {
                byStack = new KeyCounts();
                w.widePairs.put(stackKey, byStack);
                w.wideStacks.add(stackKey);
            }
            byStack.add(thread);
        }
        if (owner != Long.MIN_VALUE) {
            w.owners.add(owner);
        }
    }

    /** A stack key (-1 for none) and a thread key in one long; {@link #waited} checks they fit. */
    private static long pair(long stackKey, long thread) {
        return (stackKey + 1) << 32 | thread;
    }

    /** At the chunk's end, while its pools are in memory: the waits with names for keys, to the builder. */
    void handOnWaits() {
        for (Waits w : waitsInOrder) {
            String cls = pools.className(w.classKey);
            // threads by stack: the wide pairs are kept that way already; the packed ones are added to them
            KeyCounts threads = new KeyCounts();
            for (int s = 0; s < w.wideStacks.size; s++) {
                KeyCounts byStack = w.widePairs.get(w.wideStacks.order[s]);
                for (int t = 0; t < byStack.size; t++) {
                    threads.add(byStack.order[t], byStack.counts.get(byStack.order[t])[0]);
                }
            }
            LongMap<KeyCounts> threadsByStack = w.widePairs;
            KeyCounts stackKeys = w.wideStacks;
            for (int i = 0; i < w.pairs.size; i++) {
                long pair = w.pairs.order[i];
                long stackKey = (pair >>> 32) - 1;
                long thread = pair & 0xffffffffL;
                long n = w.pairs.counts.get(pair)[0];
                threads.add(thread, n);
                KeyCounts byStack = threadsByStack.get(stackKey);
                if (byStack == null) {
                    byStack = new KeyCounts();
                    threadsByStack.put(stackKey, byStack);
                    stackKeys.add(stackKey);
                }
                byStack.add(thread, n);
            }
            Map<String, Long> waiters = names(threads, "");
            Map<String, Long> owners = names(w.owners, null);
            long stackKey = w.longestStack;
            java.util.function.Supplier<JfrStack> stack = () -> stackKey < 0 ? JfrStack.EMPTY : pools.stack(stackKey);
            Recording.ContentionKind kind = w.monitor ? Recording.ContentionKind.MONITOR_ENTER : Recording.ContentionKind.PARK;
            String lockClass = w.monitor ? orUnknown(cls) : cls;
            // the waits by stack, where a stack shows monitors held (synchronized methods below the wait)
            List<LockWaits.StackWaits> stacks = new ArrayList<>();
            for (int s = 0; s < stackKeys.size; s++) {
                long key = stackKeys.order[s];
                JfrStack frames = key < 0 ? JfrStack.EMPTY : pools.stack(key);
                if (frames.synchronizedMethods().isEmpty()) {
                    continue;
                }
                KeyCounts byStack = threadsByStack.get(key);
                for (int t = 0; t < byStack.size; t++) {
                    String name = pools.threadName(byStack.order[t]);
                    stacks.add(new LockWaits.StackWaits(() -> frames, name == null ? "" : name, byStack.counts.get(byStack.order[t])[0]));
                }
            }
            sink.waits(new LockWaits(kind, lockClass, w.address, w.events, w.totalNanos, w.longestNanos, stack, w.first, w.last,
                    waiters, owners, stacks));
        }
        sink.counted("jdk.ThreadPark", unblockedParks);
    }

    /** Counts by thread name, in the order the threads came; a key of no thread counts under {@code none}, or not at all. */
    private Map<String, Long> names(KeyCounts counts, String none) {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < counts.size; i++) {
            long key = counts.order[i];
            String name = key == Long.MIN_VALUE ? null : pools.threadName(key);
            if (name == null) {
                name = none;
            }
            if (name != null) {
                out.merge(name, counts.counts.get(key)[0], Long::sum);
            }
        }
        return out;
    }

    private static String orUnknown(String cls) {
        return cls == null ? "?" : cls;
    }
}
