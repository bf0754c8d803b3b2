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

    private final HprofInput in;
    private final long size;
    private byte[] scratch = new byte[256];
    private long timestamp;

    /**
     * How far a pass got, for a message about a damaged file.
     *
     * @param expectedEnd where the record that broke off said it would end: the file was at least this long
     */
    record Progress(long offset, boolean complete, String problem, int heapDumps, long expectedEnd) {
    }

    interface Listener {
        void bytes(long position);
    }

    HprofDecoder(HprofInput in, long size) {
        this.in = in;
        this.size = size;
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
        try {
            while (in.more() && !h.done()) {
                long recordStart = in.position();
                int tag = in.u1();
                in.u4(); // microseconds since the header's time
                long length = in.u4();
                declaredEnd = Math.max(declaredEnd, recordStart + 9 + length);
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
                if (listener != null && in.position() - lastReport > (64L << 20)) {
                    lastReport = in.position();
                    listener.bytes(lastReport);
                }
            }
        } catch (EOFException e) {
            String what = dumpIndex >= 0 ? " in a " + (inSegments ? "HEAP_DUMP_SEGMENT" : "HEAP_DUMP") : "";
            return new Progress(in.position(), false, "truncated at byte " + String.format("%,d", in.position()) + what,
                    dumpIndex + 1, Math.max(declaredEnd, in.position()));
        }
        return new Progress(in.position(), true, "", dumpIndex + 1, in.position());
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
        h.string(id, in.bytes((int) (length - in.idSize())));
    }

    private void stackTrace(HprofHandler h) throws IOException {
        long serial = in.u4();
        long thread = in.u4();
        int n = (int) in.u4();
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
        while (in.position() < end && !h.done()) {
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
                default -> throw new IOException("unknown heap dump sub-record 0x" + Integer.toHexString(sub)
                        + " at byte " + (in.position() - 1));
            }
        }
        if (h.done() && in.position() < end) {
            in.skip(end - in.position());
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
            java.nio.ByteBuffer data = java.nio.ByteBuffer.allocate(n * width);
            fc.read(data, position + head.capacity());
            return new Object[] {type, data.array()};
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
