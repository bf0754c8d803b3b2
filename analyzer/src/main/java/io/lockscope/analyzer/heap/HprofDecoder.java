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
import static io.lockscope.analyzer.heap.Hprof.TAG_HEAP_DUMP;
import static io.lockscope.analyzer.heap.Hprof.TAG_HEAP_DUMP_END;
import static io.lockscope.analyzer.heap.Hprof.TAG_HEAP_DUMP_SEGMENT;
import static io.lockscope.analyzer.heap.Hprof.TAG_LOAD_CLASS;
import static io.lockscope.analyzer.heap.Hprof.TAG_STACK_FRAME;
import static io.lockscope.analyzer.heap.Hprof.TAG_STACK_TRACE;
import static io.lockscope.analyzer.heap.Hprof.TAG_START_THREAD;
import static io.lockscope.analyzer.heap.Hprof.TAG_STRING;
import static io.lockscope.analyzer.heap.Hprof.T_BOOLEAN;
import static io.lockscope.analyzer.heap.Hprof.T_BYTE;
import static io.lockscope.analyzer.heap.Hprof.T_CHAR;
import static io.lockscope.analyzer.heap.Hprof.T_DOUBLE;
import static io.lockscope.analyzer.heap.Hprof.T_FLOAT;
import static io.lockscope.analyzer.heap.Hprof.T_INT;
import static io.lockscope.analyzer.heap.Hprof.T_LONG;
import static io.lockscope.analyzer.heap.Hprof.T_OBJECT;
import static io.lockscope.analyzer.heap.Hprof.T_SHORT;

import java.io.EOFException;
import java.io.IOException;

/**
 * Decodes the records of an HPROF file (format 1.0.1 and 1.0.2, as HotSpot's heap dumper and the
 * old hprof agent write it) and hands them to a handler. One method per record type; unknown
 * records and sub-records are skipped by their length where the format gives one.
 *
 * <p>The format: HotSpot's src/hotspot/share/services/heapDumper.cpp, and the hprof agent's
 * manual (JDK 6 demo/jvmti/hprof/src/manual.html).
 */
final class HprofDecoder {

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
    private final HprofResync resync;
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
        this.resync = new HprofResync(in, this.size);
    }

    int size(int type) {
        return width(type, in.idSize());
    }

    /** The bytes one value of a basic type takes; -1 for a type that does not exist. */
    static int width(int type, int idSize) {
        return switch (type) {
            case T_OBJECT -> idSize;
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
                    long resume = (size == 0 ? in.position() <= end : end <= size) ? end : resync.records(recordStart + 1);
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
    Progress segments(HprofHandler h, java.util.List<HeapStructure.Segment> segments, int dumpIndex) throws IOException {
        header();
        long at = in.position();
        try {
            for (HeapStructure.Segment seg : segments) {
                in.seek(seg.bodyStart());
                at = seg.bodyStart();
                heapDump(h, dumpIndex, seg.length());
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
                long resume = resync.subRecords(subStart + 1, end);
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
}
