package io.lockscope.analyzer.heap;

import static io.lockscope.analyzer.heap.Hprof.CLASS_DUMP;
import static io.lockscope.analyzer.heap.Hprof.INSTANCE_DUMP;
import static io.lockscope.analyzer.heap.Hprof.OBJECT_ARRAY_DUMP;
import static io.lockscope.analyzer.heap.Hprof.PRIMITIVE_ARRAY_DUMP;
import static io.lockscope.analyzer.heap.Hprof.ROOT_JAVA_FRAME;
import static io.lockscope.analyzer.heap.Hprof.ROOT_JNI_GLOBAL;
import static io.lockscope.analyzer.heap.Hprof.ROOT_JNI_LOCAL;
import static io.lockscope.analyzer.heap.Hprof.ROOT_MONITOR_USED;
import static io.lockscope.analyzer.heap.Hprof.ROOT_NATIVE_STACK;
import static io.lockscope.analyzer.heap.Hprof.ROOT_STICKY_CLASS;
import static io.lockscope.analyzer.heap.Hprof.ROOT_THREAD_BLOCK;
import static io.lockscope.analyzer.heap.Hprof.ROOT_THREAD_OBJECT;
import static io.lockscope.analyzer.heap.Hprof.ROOT_UNKNOWN;
import static io.lockscope.analyzer.heap.Hprof.TAG_ALLOC_SITES;
import static io.lockscope.analyzer.heap.Hprof.TAG_CONTROL_SETTINGS;
import static io.lockscope.analyzer.heap.Hprof.TAG_CPU_SAMPLES;
import static io.lockscope.analyzer.heap.Hprof.TAG_END_THREAD;
import static io.lockscope.analyzer.heap.Hprof.TAG_HEAP_DUMP;
import static io.lockscope.analyzer.heap.Hprof.TAG_HEAP_DUMP_END;
import static io.lockscope.analyzer.heap.Hprof.TAG_HEAP_DUMP_SEGMENT;
import static io.lockscope.analyzer.heap.Hprof.TAG_HEAP_SUMMARY;
import static io.lockscope.analyzer.heap.Hprof.TAG_LOAD_CLASS;
import static io.lockscope.analyzer.heap.Hprof.TAG_STACK_FRAME;
import static io.lockscope.analyzer.heap.Hprof.TAG_STACK_TRACE;
import static io.lockscope.analyzer.heap.Hprof.TAG_START_THREAD;
import static io.lockscope.analyzer.heap.Hprof.TAG_STRING;
import static io.lockscope.analyzer.heap.Hprof.TAG_UNLOAD_CLASS;
import static io.lockscope.analyzer.heap.Hprof.T_OBJECT;

import java.io.IOException;

/**
 * Where reading can go on after damage in a plain HPROF file: the first place past it at which
 * records (or, inside a heap dump segment, sub-records) follow each other as they should, with
 * known tags and lengths the file can hold. Not for a compressed input, which cannot be searched.
 *
 * @param size the file's size; 0 when it is compressed
 */
record HprofResync(HprofInput in, long size) {


    private static final java.util.Set<Integer> TAGS = java.util.Set.of(TAG_STRING, TAG_LOAD_CLASS, TAG_UNLOAD_CLASS,
            TAG_STACK_FRAME, TAG_STACK_TRACE, TAG_ALLOC_SITES, TAG_HEAP_SUMMARY, TAG_START_THREAD, TAG_END_THREAD, TAG_HEAP_DUMP,
            TAG_CPU_SAMPLES, TAG_CONTROL_SETTINGS, TAG_HEAP_DUMP_SEGMENT, TAG_HEAP_DUMP_END);
    /** How far past damage to look for records again, and how many must follow each other to be believed. */
    private static final long RESYNC_WINDOW = 16L << 20;
    private static final int RESYNC_CHAIN = 4;

    /**
     * In a plain file, the first position from {@code from} at which {@link #RESYNC_CHAIN} records
     * follow each other with known tags and lengths the file can hold (or end the file exactly);
     * -1 when there is none within {@link #RESYNC_WINDOW} bytes, or the input is compressed.
     */
    long records(long from) throws IOException {
        if (size == 0) {
            return -1;
        }
        java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate(9);
        long limit = Math.min(size - 9, from + RESYNC_WINDOW);
        java.nio.ByteBuffer window = java.nio.ByteBuffer.allocate(1 << 16);
        for (long start = from; start <= limit; start += window.capacity() - 9) {
            int n = fill(window, start);
            for (int i = 0; i + 9 <= n && start + i <= limit; i++) {
                if (TAGS.contains(window.get(i) & 0xff) && chain(start + i, head)) {
                    return start + i;
                }
            }
        }
        return -1;
    }

    /** Reads the window full from {@code start} of a plain file, or up to its end; returns how many bytes it holds. */
    private int fill(java.nio.ByteBuffer window, long start) throws IOException {
        window.clear();
        int n = 0;
        while (window.hasRemaining()) {
            int r = in.readAt(window, start + n);
            if (r <= 0) {
                break;
            }
            n += r;
        }
        return n;
    }

    private boolean chain(long at, java.nio.ByteBuffer head) throws IOException {
        long p = at;
        for (int k = 0; k < RESYNC_CHAIN; k++) {
            if (p == size) {
                return k > 0;
            }
            if (p + 9 > size) {
                return false;
            }
            head.clear();
            in.readAt(head, p);
            if (head.position() < 9 || !TAGS.contains(head.get(0) & 0xff)) {
                return false;
            }
            long length = head.getInt(5) & 0xffffffffL;
            p += 9 + length;
            if (p > size) {
                return false;
            }
        }
        return true;
    }

    /** How many sub-records must follow each other as they should for reading to go on there. */
    private static final int SUB_CHAIN = 8;

    /**
     * In a plain file, the first position in {@code [from, end)} where {@link #SUB_CHAIN}
     * sub-records follow each other with known tags, element types and lengths that fit the
     * segment (or end it exactly); -1 when there is none within {@link #RESYNC_WINDOW} bytes.
     */
    long subRecords(long from, long end) throws IOException {
        if (size == 0) {
            return -1;
        }
        long stop = Math.min(Math.min(end, size), from + RESYNC_WINDOW);
        int window = 1 << 20;
        java.nio.ByteBuffer w = java.nio.ByteBuffer.allocate(window);
        for (long start = from; start < stop; start += window / 2) {
            int n = fill(w, start);
            for (int i = 0; i < Math.min(n, window / 2) && start + i < stop; i++) {
                if (subChain(w, i, n, start, Math.min(end, size))) {
                    return start + i;
                }
            }
        }
        return -1;
    }

    /** Whether {@link #SUB_CHAIN} sub-records start at {@code i} of the window (which starts at file byte {@code base}). */
    private boolean subChain(java.nio.ByteBuffer w, int i, int n, long base, long end) {
        int ids = in.idSize();
        long p = i;
        for (int k = 0; k < SUB_CHAIN; k++) {
            if (base + p == end) {
                return k > 0;
            }
            if (p + 1 + 2L * ids + 9 > n) {
                return k >= SUB_CHAIN / 2;
            }
            int at = (int) p;
            long next;
            switch (w.get(at) & 0xff) {
                case ROOT_UNKNOWN, ROOT_STICKY_CLASS, ROOT_MONITOR_USED -> next = p + 1 + ids;
                case ROOT_JNI_GLOBAL -> next = p + 1 + 2L * ids;
                case ROOT_JNI_LOCAL, ROOT_JAVA_FRAME, ROOT_THREAD_OBJECT -> next = p + 1 + ids + 8;
                case ROOT_NATIVE_STACK, ROOT_THREAD_BLOCK -> next = p + 1 + ids + 4;
                case INSTANCE_DUMP -> {
                    long classId = ids == 4 ? w.getInt(at + 1 + ids + 4) & 0xffffffffL : w.getLong(at + 1 + ids + 4);
                    int length = w.getInt(at + 1 + 2 * ids + 4);
                    if (classId == 0 || length < 0) {
                        return false;
                    }
                    next = p + 1 + 2L * ids + 8 + length;
                }
                case OBJECT_ARRAY_DUMP -> {
                    int count = w.getInt(at + 1 + ids + 4);
                    if (count < 0) {
                        return false;
                    }
                    next = p + 1 + 2L * ids + 8 + (long) count * ids;
                }
                case PRIMITIVE_ARRAY_DUMP -> {
                    int count = w.getInt(at + 1 + ids + 4);
                    int width = HprofDecoder.width(w.get(at + 1 + ids + 8), ids);
                    if (count < 0 || width < 0 || w.get(at + 1 + ids + 8) == T_OBJECT) {
                        return false;
                    }
                    next = p + 1 + ids + 9 + (long) count * width;
                }
                default -> {
                    // CLASS_DUMP is variable in ways not worth checking here: not a place to go on from
                    return false;
                }
            }
            if (base + next > end) {
                return false;
            }
            if (next > n) {
                // a long object runs past the window: as far as can be seen, the chain holds
                return k >= 1;
            }
            p = next;
        }
        return true;
    }
}
