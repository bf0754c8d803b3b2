package io.lockscope.analyzer.heap;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Decodes the records of an HPROF file (format 1.0.1 and 1.0.2, as HotSpot's heap dumper and the
 * old hprof agent write it) and hands them to a handler. One method per record type; unknown
 * records and sub-records are skipped by their length where the format gives one.
 *
 * <p>The format: HotSpot's src/hotspot/share/services/heapDumper.cpp, and the hprof agent's
 * manual (JDK 6 demo/jvmti/hprof/src/manual.html).
 */
final class HprofDecoder {

    // top-level record tags
    static final int TAG_STRING = 0x01;
    static final int TAG_LOAD_CLASS = 0x02;
    static final int TAG_UNLOAD_CLASS = 0x03;
    static final int TAG_STACK_FRAME = 0x04;
    static final int TAG_STACK_TRACE = 0x05;
    static final int TAG_ALLOC_SITES = 0x06;
    static final int TAG_HEAP_SUMMARY = 0x07;
    static final int TAG_START_THREAD = 0x0A;
    static final int TAG_END_THREAD = 0x0B;
    static final int TAG_HEAP_DUMP = 0x0C;
    static final int TAG_CPU_SAMPLES = 0x0D;
    static final int TAG_CONTROL_SETTINGS = 0x0E;
    static final int TAG_HEAP_DUMP_SEGMENT = 0x1C;
    static final int TAG_HEAP_DUMP_END = 0x2C;

    // heap dump sub-record tags
    static final int ROOT_UNKNOWN = 0xFF;
    static final int ROOT_JNI_GLOBAL = 0x01;
    static final int ROOT_JNI_LOCAL = 0x02;
    static final int ROOT_JAVA_FRAME = 0x03;
    static final int ROOT_NATIVE_STACK = 0x04;
    static final int ROOT_STICKY_CLASS = 0x05;
    static final int ROOT_THREAD_BLOCK = 0x06;
    static final int ROOT_MONITOR_USED = 0x07;
    static final int ROOT_THREAD_OBJECT = 0x08;
    static final int CLASS_DUMP = 0x20;
    static final int INSTANCE_DUMP = 0x21;
    static final int OBJECT_ARRAY_DUMP = 0x22;
    static final int PRIMITIVE_ARRAY_DUMP = 0x23;

    // basic types
    static final int T_OBJECT = 2;
    static final int T_BOOLEAN = 4;
    static final int T_CHAR = 5;
    static final int T_FLOAT = 6;
    static final int T_DOUBLE = 7;
    static final int T_BYTE = 8;
    static final int T_SHORT = 9;
    static final int T_INT = 10;
    static final int T_LONG = 11;

    /**
     * The longest STRING record believed: HPROF's strings are the VM's symbols (class, method and
     * field names), which a class file caps at 65,535 bytes. A longer one is skipped, never read.
     */
    static final int MAX_SYMBOL = 1 << 16;

    /** Bytes that contradict the format: a record's length past its end, a tag that does not exist. */
    static final class Damage extends IOException {
        Damage(String message) {
            super(message);
        }
    }

    private final HprofInput in;
    private final long size;
    /** Where the record being read ends, as far as the file can hold it: no length inside it may reach past. */
    private long bound = Long.MAX_VALUE;
    /** The first damage of this pass, how many places were damaged, and how many bytes were skipped past them. */
    private String firstDamage;
    private int damages;
    private long skipped;
    private byte[] scratch = new byte[256];
    private long timestamp;

    /**
     * How far a pass got, for a message about a damaged file.
     *
     * @param expectedEnd where the record that broke off said it would end: the file was at least this long
     */
    record Progress(long offset, boolean complete, String problem, int heapDumps, long expectedEnd, boolean readOn) {
        Progress(long offset, boolean complete, String problem, int heapDumps, long expectedEnd) {
            this(offset, complete, problem, heapDumps, expectedEnd, false);
        }
    }

    interface Listener {
        void bytes(long position);
    }

    HprofDecoder(HprofInput in, long size) {
        this.in = in;
        this.size = in.plain() ? size : 0;
    }

    int size(int type) {
        return switch (type) {
            case T_OBJECT -> in.idSize();
            case T_BOOLEAN, T_BYTE -> 1;
            case T_CHAR, T_SHORT -> 2;
            case T_FLOAT, T_INT -> 4;
            case T_DOUBLE, T_LONG -> 8;
            default -> -1;
        };
    }

    /** Reads the whole file once, calling the handler; stops early if the handler is done. */
    Progress pass(HprofHandler h, Listener listener) throws IOException {
        String format = header();
        h.header(format, in.idSize(), timestamp);
        int dumpIndex = -1;
        boolean inSegments = false;
        long lastReport = 0;
        long declaredEnd = 0;
        firstDamage = null;
        damages = 0;
        skipped = 0;
        try {
            while (in.more() && !h.done()) {
                long recordStart = in.position();
                int tag = in.u1();
                in.u4(); // microseconds since the header's time
                long length = in.u4();
                bound = recordStart + 9 + length;
                declaredEnd = Math.max(declaredEnd, bound);
                try {
                    if (size > 0 && bound > size && tag != TAG_HEAP_DUMP && tag != TAG_HEAP_DUMP_SEGMENT) {
                        // a heap dump record cut short is read up to the cut; any other record that says it is longer than
                        // the rest of the file has a damaged length, or the file was cut inside it
                        throw new Damage(String.format("a record (tag 0x%02x) at byte %,d says it has %,d bytes, but the file ends %,d bytes"
                                + " later (cut short, or a damaged length)", tag, recordStart, length, size - recordStart - 9));
                    }
                    switch (tag) {
                        case TAG_STRING -> string(h, length);
                        case TAG_LOAD_CLASS -> h.loadClass(in.u4(), in.id(), skipThenId(4));
                        case TAG_STACK_FRAME -> h.stackFrame(in.id(), in.id(), in.id(), in.id(), in.u4(), in.i4());
                        case TAG_STACK_TRACE -> stackTrace(h);
                        case TAG_START_THREAD -> startThread(h);
                        case TAG_HEAP_DUMP -> {
                            dumpIndex++;
                            h.heapDumpStarted(dumpIndex);
                            h.segment(dumpIndex, in.position(), length);
                            inSegments = false;
                            heapDump(h, dumpIndex, length);
                        }
                        case TAG_HEAP_DUMP_SEGMENT -> {
                            if (!inSegments) {
                                dumpIndex++;
                                inSegments = true;
                                h.heapDumpStarted(dumpIndex);
                            }
                            h.segment(dumpIndex, in.position(), length);
                            heapDump(h, dumpIndex, length);
                        }
                        case TAG_HEAP_DUMP_END -> {
                            inSegments = false;
                            in.skip(length);
                        }
                        default -> in.skip(length); // UNLOAD_CLASS, ALLOC_SITES, HEAP_SUMMARY, END_THREAD, CPU_SAMPLES, CONTROL_SETTINGS, unknown
                    }
                    long consumed = in.position() - recordStart - 9;
                    if (consumed != length && tag != TAG_HEAP_DUMP && tag != TAG_HEAP_DUMP_SEGMENT) {
                        // a record read short or long: resynchronise on its stated length
                        if (consumed < length) {
                            in.skip(length - consumed);
                        }
                    }
                } catch (Damage | RuntimeException e) {
                    // Damage inside one record: go on after it, by its length where the file can hold that (in a stream:
                    // where that end is not passed yet), else at the next place where records follow each other as they
                    // should. What the record held is lost.
                    long end = recordStart + 9 + length;
                    long resume = (size == 0 ? in.position() <= end : end <= size) ? end : resync(recordStart + 1);
                    if (resume < 0) {
                        throw new Damage(reason(e) + (firstDamage == null ? "" : " (and damage before it: " + firstDamage + ")"));
                    }
                    readPast(e, resume);
                }
                if (listener != null && in.position() - lastReport > (64L << 20)) {
                    lastReport = in.position();
                    listener.bytes(lastReport);
                }
            }
        } catch (EOFException e) {
            String what = dumpIndex >= 0 ? " in a " + (inSegments ? "HEAP_DUMP_SEGMENT" : "HEAP_DUMP") : "";
            long at = in.position();
            String where = size > 0 && at >= size
                    ? String.format("cut short: the file ends at byte %,d inside a record that says it ends at byte %,d", at, declaredEnd)
                    : String.format("truncated at byte %,d", at) + (e instanceof HprofInput.StreamBroken ? " (" + e.getMessage() + ")" : "");
            return new Progress(at, false, where + what, dumpIndex + 1, Math.max(declaredEnd, at));
        } catch (IOException | RuntimeException e) {
            // damage in the middle (flipped bytes, an impossible length, a broken gzip stream): keep what was read before it
            String why = reason(e);
            return new Progress(in.position(), false, String.format("damaged at byte %,d: %s", in.position(), why),
                    dumpIndex + 1, Math.max(declaredEnd, in.position()));
        }
        if (inSegments && !h.done() && firstDamage == null) {
            // HotSpot closes a segmented heap dump with HEAP_DUMP_END: a file that ends after a segment without it was cut
            // at a record boundary, and what the missing segments held is not known
            return new Progress(in.position(), false, String.format("cut short: the file ends at byte %,d after a heap dump segment,"
                    + " without the HEAP_DUMP_END record that closes a heap dump", in.position()), dumpIndex + 1, in.position());
        }
        if (firstDamage != null) {
            return new Progress(in.position(), false, firstDamage + String.format("; read on after %s, skipping %,d bytes",
                    damages == 1 ? "it" : "it and " + (damages - 1) + " more", skipped), dumpIndex + 1, in.position(), true);
        }
        return new Progress(in.position(), true, "", dumpIndex + 1, in.position());
    }

    /** Notes damage at the current position (the first in words, the others counted) and goes on at {@code resume}. */
    private void readPast(Exception damage, long resume) throws IOException {
        long at = in.position();
        if (firstDamage == null) {
            firstDamage = String.format("damaged at byte %,d: %s", at, reason(damage));
        }
        damages++;
        skipped += Math.max(0, resume - at);
        jumpTo(resume);
    }

    private void jumpTo(long position) throws IOException {
        if (in.plain()) {
            in.seek(position);
        } else {
            in.skip(position - in.position());
        }
    }

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
    private long resync(long from) throws IOException {
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

    /** What went wrong, for a message: damage says it in its own words; anything else with its class. */
    private static String reason(Exception e) {
        if (e instanceof Damage) {
            return e.getMessage();
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + m;
    }

    /** Fails when {@code bytes} from here would reach past the record being read. */
    private void claim(long bytes, String what) throws IOException {
        if (bytes < 0 || bytes > bound - in.position()) {
            throw new Damage(String.format("%s at byte %,d says %,d bytes; its record ends %,d bytes later",
                    what, in.position(), bytes, bound - in.position()));
        }
        if (size > 0 && bytes > size - in.position()) {
            // within its record, past the file's end: the file was cut here
            throw new EOFException("ends inside " + what);
        }
    }

    /**
     * Reads only the given heap dump records ({bodyStart, length} each) of a plain file, for a
     * pass that several threads share out by segment. The header is read for the id size.
     */
    Progress segments(HprofHandler h, java.util.List<long[]> segments, int dumpIndex) throws IOException {
        header();
        long at = in.position();
        try {
            for (long[] seg : segments) {
                in.seek(seg[0]);
                at = seg[0];
                heapDump(h, dumpIndex, seg[1]);
                if (h.done()) {
                    break;
                }
            }
        } catch (EOFException e) {
            return new Progress(in.position(), false, "truncated at byte " + String.format("%,d", in.position()), dumpIndex + 1, at);
        } catch (IOException | RuntimeException e) {
            String why = reason(e);
            return new Progress(in.position(), false, String.format("damaged at byte %,d: %s", in.position(), why), dumpIndex + 1, at);
        }
        return new Progress(in.position(), true, "", dumpIndex + 1, in.position());
    }

    private long skipThenId(int skip) throws IOException {
        in.skip(skip);
        return in.id();
    }

    /** "JAVA PROFILE 1.0.2", a NUL, the identifier size, the time in milliseconds. */
    private String header() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.u1()) != 0) {
            sb.append((char) c);
            if (sb.length() > 64) {
                throw new IOException("not an HPROF file: no end to the header");
            }
        }
        int idSize = in.i4();
        if (idSize != 4 && idSize != 8) {
            throw new IOException("identifier size " + idSize + " (expected 4 or 8)");
        }
        in.idSize(idSize);
        timestamp = in.i8();
        return sb.toString();
    }

    private void string(HprofHandler h, long length) throws IOException {
        if (!h.wantsStrings()) {
            in.skip(length);
            return;
        }
        long id = in.id();
        long bytes = length - in.idSize();
        claim(bytes, "a STRING record");
        if (bytes > MAX_SYMBOL) {
            in.skip(bytes);
            return;
        }
        h.string(id, in.bytes((int) bytes));
    }

    private void stackTrace(HprofHandler h) throws IOException {
        long serial = in.u4();
        long thread = in.u4();
        long count = in.u4();
        claim(count * in.idSize(), "a STACK TRACE of " + count + " frames");
        int n = (int) count;
        long[] frames = new long[n];
        for (int i = 0; i < n; i++) {
            frames[i] = in.id();
        }
        h.stackTrace(serial, thread, frames);
    }

    private void startThread(HprofHandler h) throws IOException {
        long serial = in.u4();
        long object = in.id();
        long trace = in.u4();
        long name = in.id();
        in.id(); // group name
        in.id(); // parent group name
        h.startThread(serial, object, trace, name);
    }

    private void heapDump(HprofHandler h, int index, long length) throws IOException {
        if (!h.wantsHeapDump(index)) {
            in.skip(length);
            return;
        }
        long end = in.position() + length;
        bound = end;
        while (in.position() < end && !h.done()) {
            long subStart = in.position();
            try {
                subRecord(h);
            } catch (Damage | RuntimeException e) {
                // damage inside the segment: go on at the next place where sub-records follow each other as they should;
                // the objects in between are lost, the rest of the segment is not (segments can be a gigabyte)
                long resume = resyncSubRecords(subStart + 1, end);
                if (resume < 0) {
                    throw e;
                }
                readPast(e, resume);
            }
        }
        if (h.done() && in.position() < end) {
            in.skip(end - in.position());
        }
    }

    private void subRecord(HprofHandler h) throws IOException {
        int sub = in.u1();
        switch (sub) {
            case ROOT_UNKNOWN, ROOT_STICKY_CLASS -> in.skip(in.idSize());
            case ROOT_MONITOR_USED -> h.rootMonitorUsed(in.id());
            case ROOT_JNI_GLOBAL -> in.skip(2L * in.idSize());
            case ROOT_JNI_LOCAL -> in.skip(in.idSize() + 8L);
            case ROOT_JAVA_FRAME -> h.rootJavaFrame(in.id(), in.u4(), in.i4());
            case ROOT_NATIVE_STACK, ROOT_THREAD_BLOCK -> in.skip(in.idSize() + 4L);
            case ROOT_THREAD_OBJECT -> h.rootThreadObject(in.id(), in.u4(), in.u4());
            case CLASS_DUMP -> classDump(h);
            case INSTANCE_DUMP -> instance(h);
            case OBJECT_ARRAY_DUMP -> objectArray(h);
            case PRIMITIVE_ARRAY_DUMP -> primitiveArray(h);
            default -> throw new Damage("unknown heap dump sub-record 0x" + Integer.toHexString(sub)
                    + " at byte " + (in.position() - 1));
        }
    }

    /** How many sub-records must follow each other as they should for reading to go on there. */
    private static final int SUB_CHAIN = 8;

    /**
     * In a plain file, the first position in {@code [from, end)} where {@link #SUB_CHAIN}
     * sub-records follow each other with known tags, element types and lengths that fit the
     * segment (or end it exactly); -1 when there is none within {@link #RESYNC_WINDOW} bytes.
     */
    private long resyncSubRecords(long from, long end) throws IOException {
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
                    int width = size(w.get(at + 1 + ids + 8));
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

    private void classDump(HprofHandler h) throws IOException {
        long classId = in.id();
        in.u4(); // stack trace serial
        long superId = in.id();
        in.skip(5L * in.idSize()); // class loader, signers, protection domain, two reserved
        in.u4(); // instance size
        int constants = in.u2();
        for (int i = 0; i < constants; i++) {
            in.u2();
            int type = in.u1();
            skipValue(type);
        }
        int statics = in.u2();
        long[] staticNames = new long[statics];
        long[] staticValues = new long[statics];
        int objectStatics = 0;
        for (int i = 0; i < statics; i++) {
            long name = in.id();
            int type = in.u1();
            if (type == T_OBJECT) {
                staticNames[objectStatics] = name;
                staticValues[objectStatics] = in.id();
                objectStatics++;
            } else {
                skipValue(type);
            }
        }
        int fields = in.u2();
        long[] names = new long[fields];
        byte[] types = new byte[fields];
        for (int i = 0; i < fields; i++) {
            names[i] = in.id();
            types[i] = (byte) in.u1();
        }
        if (h.wantsClassDumps()) {
            h.classDump(classId, superId, java.util.Arrays.copyOf(staticNames, objectStatics),
                    java.util.Arrays.copyOf(staticValues, objectStatics), names, types);
        }
    }

    private void skipValue(int type) throws IOException {
        int s = size(type);
        if (s < 0) {
            throw new IOException("unknown basic type " + type + " at byte " + in.position());
        }
        in.skip(s);
    }

    private void instance(HprofHandler h) throws IOException {
        // the header in one window: id, stack trace serial, class id, length
        int ids = in.idSize();
        java.nio.ByteBuffer head = in.window(2 * ids + 8);
        long id = ids == 4 ? head.getInt() & 0xffffffffL : head.getLong();
        head.getInt(); // stack trace serial
        long classId = ids == 4 ? head.getInt() & 0xffffffffL : head.getLong();
        int length = head.getInt();
        claim(length, "an INSTANCE DUMP");
        if (!h.wantsInstance(id, classId)) {
            in.skip(length);
            return;
        }
        java.nio.ByteBuffer window = in.window(length);
        if (window != null) {
            h.instance(id, classId, window, window.position(), length);
            in.skip(length);
            return;
        }
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        in.readInto(scratch, length);
        h.instance(id, classId, java.nio.ByteBuffer.wrap(scratch), 0, length);
    }

    private void objectArray(HprofHandler h) throws IOException {
        int ids = in.idSize();
        java.nio.ByteBuffer head = in.window(2 * ids + 8);
        long id = ids == 4 ? head.getInt() & 0xffffffffL : head.getLong();
        head.getInt(); // stack trace serial
        int n = head.getInt();
        long arrayClass = ids == 4 ? head.getInt() & 0xffffffffL : head.getLong();
        claim((long) n * ids, "an OBJECT ARRAY DUMP of " + n + " elements");
        if (!h.wantsObjectArray(id, arrayClass)) {
            in.skip((long) n * in.idSize());
            return;
        }
        long[] elements = new long[n];
        for (int i = 0; i < n; i++) {
            elements[i] = in.id();
        }
        h.objectArray(id, arrayClass, elements);
    }

    private void primitiveArray(HprofHandler h) throws IOException {
        long start = in.position() - 1;
        int ids = in.idSize();
        java.nio.ByteBuffer head = in.window(ids + 9);
        long id = ids == 4 ? head.getInt() & 0xffffffffL : head.getLong();
        head.getInt(); // stack trace serial
        int n = head.getInt();
        int type = head.get() & 0xff;
        int s = size(type);
        if (s < 0) {
            throw new IOException("unknown array element type " + type + " at byte " + in.position());
        }
        claim((long) n * s, "a PRIMITIVE ARRAY DUMP of " + n + " elements");
        h.primitiveArrayAt(id, type, n, start);
        if (!h.wantsPrimitiveArray(id, type)) {
            in.skip((long) n * s);
            return;
        }
        h.primitiveArray(id, type, in.bytes(n * s));
    }

    /** Reads the primitive array sub-record that starts at {@code position}: its element type and bytes. */
    static Object[] primitiveArrayAt(java.nio.file.Path path, long position, int idSize) throws IOException {
        try (java.nio.channels.FileChannel fc = java.nio.channels.FileChannel.open(path)) {
            java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate(1 + idSize + 4 + 4 + 1);
            fc.read(head, position);
            head.flip();
            if ((head.get() & 0xff) != PRIMITIVE_ARRAY_DUMP) {
                throw new IOException("no primitive array at byte " + position);
            }
            if (idSize == 4) {
                head.getInt();
            } else {
                head.getLong();
            }
            head.getInt();
            int n = head.getInt();
            int type = head.get() & 0xff;
            int width = type == T_CHAR ? 2 : 1;
            if (n < 0 || (long) n * width > fc.size() - position) {
                throw new Damage(String.format("a primitive array at byte %,d says %,d elements, past the file's end", position, n));
            }
            java.nio.ByteBuffer data = java.nio.ByteBuffer.allocate(n * width);
            fc.read(data, position + head.capacity());
            return new Object[] {type, data.array()};
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
