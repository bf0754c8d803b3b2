package io.lockscope.analyzer.heap;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Passes 3 and 4: the strings that name threads (a String and its value array, or a char[] up to
 * JDK 8), and the objects whose fields point to the locks that matter (held or queued). Pass 4
 * runs only for value arrays that came before their String in the file, and stops as soon as it
 * has them all.
 */
final class HeapNames implements HprofHandler {

    record Referrer(long objectId, long classId, String field, long target) {
    }

    private final HeapStructure structure;
    private final int lastDump;
    private final LongSet stringIds;
    private final LongSet arrayIds = new LongSet();
    private final LongSet initialArrayIds;
    private final LongSet targets;
    private final boolean scanReferrers;
    private final long[] stringClasses;
    /** A String's fields: its value array, its coder (JDK 9+, 1 for UTF-16), and offset and count (JDK 6 and older, -1 if none). */
    record StringFields(long valueId, long coder, long offset, long count) {
    }

    final Map<Long, StringFields> strings = new HashMap<>();
    final Map<Long, String> arrays = new HashMap<>();
    final List<Referrer> referrers = new ArrayList<>();
    /** Stack frames that reach a lock of interest: {lock or wrapper id, thread serial}. */
    /** An object a thread's stack frame reaches (a local variable, an argument): a ROOT_JAVA_FRAME. */
    record FrameRoot(long objectId, long threadSerial) {
    }

    final List<FrameRoot> frameRoots = new ArrayList<>();
    private int pendingArrays = -1;

    HeapNames(HeapStructure structure, LongSet stringIds, LongSet charArrayIds, LongSet targets) {
        this.structure = structure;
        this.lastDump = structure.heapDumps - 1;
        this.stringIds = stringIds;
        this.initialArrayIds = charArrayIds;
        for (long id : charArrayIds.toArray()) {
            arrayIds.add(id);
        }
        this.targets = targets;
        this.scanReferrers = targets.size() > 0;
        this.stringClasses = structure.idsOf(HeapClasses.STRING).stream().mapToLong(Long::longValue).toArray();
    }

    /** A collector for one share of pass 3's segments, with the same questions and its own answers. */
    HeapNames share() {
        return new HeapNames(structure, stringIds, initialArrayIds, targets);
    }

    /** Takes in what another share of pass 3 found. */
    void merge(HeapNames other) {
        strings.putAll(other.strings);
        arrays.putAll(other.arrays);
        referrers.addAll(other.referrers);
        frameRoots.addAll(other.frameRoots);
        positions.putAll(other.positions);
    }

    /** Pass 4: only the value arrays still missing. */
    HeapNames arraysOnly(LongSet missing) {
        HeapNames p = new HeapNames(structure, new LongSet(), missing, new LongSet());
        p.pendingArrays = missing.size();
        return p;
    }

    @Override
    public boolean wantsHeapDump(int index) {
        return index == lastDump;
    }

    @Override
    public boolean done() {
        return pendingArrays == 0;
    }

    private boolean isString(long classId) {
        for (long c : stringClasses) {
            if (c == classId) {
                return true;
            }
        }
        return false;
    }

    private long lastClassId;
    private HeapStructure.ClassInfo lastClass;

    private HeapStructure.ClassInfo classOf(long classId) {
        if (classId != lastClassId || lastClass == null) {
            lastClass = structure.classById.get(classId);
            lastClassId = classId;
        }
        return lastClass;
    }

    @Override
    public boolean wantsInstance(long id, long classId) {
        if (stringIds.contains(id) && isString(classId)) {
            return true;
        }
        if (!scanReferrers) {
            return false;
        }
        HeapStructure.ClassInfo c = classOf(classId);
        return c != null && c.layout.objectOffsets().length > 0;
    }

    @Override
    public void rootJavaFrame(long objectId, long threadSerial, int frameNumber) {
        if (scanReferrers && targets.contains(objectId)) {
            frameRoots.add(new FrameRoot(objectId, threadSerial));
        }
    }

    @Override
    public void instance(long id, long classId, java.nio.ByteBuffer fields, int base, int length) {
        HeapStructure.ClassInfo c = classOf(classId);
        HeapStructure.Layout layout = c.layout;
        if (stringIds.contains(id) && isString(classId)) {
            long[] v = HeapObjects.decode(layout, fields, base, length, structure.idSize);
            long value = at(layout, v, "value");
            strings.put(id, new StringFields(value, at(layout, v, "coder"), at(layout, v, "offset"), layout.indexOf("count") < 0 ? -1 : at(layout, v, "count")));
            arrayIds.add(value);
            rememberIfRecent(value);
        }
        if (scanReferrers) {
            int[] offs = layout.objectOffsets();
            for (int i = 0; i < offs.length; i++) {
                if (offs[i] + structure.idSize > length) {
                    break;
                }
                long ref = structure.idSize == 4 ? fields.getInt(base + offs[i]) & 0xffffffffL : fields.getLong(base + offs[i]);
                if (ref != 0 && targets.contains(ref) && ref != id) {
                    referrers.add(new Referrer(id, classId, layout.objectNames()[i], ref));
                }
            }
        }
    }

    private static long at(HeapStructure.Layout layout, long[] values, String field) {
        int i = layout.indexOf(field);
        return i < 0 ? 0 : values[i];
    }

    /**
     * Where the last few small byte and char arrays start: a name built by concatenation has its
     * array written just before its String, which this pass learns of only at the String; the
     * array can then be read from the file by its position instead of in another pass.
     */
    private static final int RECENT = 32;
    private static final int NAME_BYTES = 512;
    private final long[] recentIds = new long[RECENT];
    private final long[] recentPositions = new long[RECENT];
    private int recentNext;
    final Map<Long, Long> positions = new HashMap<>();

    @Override
    public void primitiveArrayAt(long id, int type, int count, long position) {
        if (pendingArrays < 0 && (type == Hprof.T_CHAR || type == Hprof.T_BYTE) && count <= NAME_BYTES) {
            recentIds[recentNext] = id;
            recentPositions[recentNext] = position;
            recentNext = (recentNext + 1) % RECENT;
        }
    }

    private void rememberIfRecent(long arrayId) {
        for (int i = 0; i < RECENT; i++) {
            if (recentIds[i] == arrayId) {
                positions.put(arrayId, recentPositions[i]);
                return;
            }
        }
    }

    @Override
    public boolean wantsPrimitiveArray(long id, int type) {
        return (type == Hprof.T_CHAR || type == Hprof.T_BYTE) && arrayIds.contains(id) && !arrays.containsKey(id);
    }

    @Override
    public void primitiveArray(long id, int type, byte[] data) {
        arrays.put(id, type == Hprof.T_CHAR ? utf16(data, false) : latin1OrRaw(data));
        if (pendingArrays > 0) {
            pendingArrays--;
        }
    }

    /** Reads, from a plain file, the arrays whose positions pass 3 noted; returns those still missing. */
    LongSet readNoted(java.nio.file.Path path, LongSet missing) throws java.io.IOException {
        LongSet still = new LongSet();
        for (long id : missing.toArray()) {
            Long at = positions.get(id);
            if (at == null) {
                still.add(id);
                continue;
            }
            PrimitiveArray r = primitiveArrayAt(path, at, structure.idSize);
            primitiveArray(id, r.type(), r.data());
        }
        return still;
    }

    /** char[] in the dump is big-endian UTF-16. */
    static String utf16(byte[] data, boolean littleEndian) {
        char[] c = new char[data.length / 2];
        for (int i = 0; i < c.length; i++) {
            int a = data[2 * i] & 0xff;
            int b = data[2 * i + 1] & 0xff;
            c[i] = (char) (littleEndian ? (b << 8 | a) : (a << 8 | b));
        }
        return new String(c);
    }

    /** A byte[] kept raw as Latin-1 characters; {@link #text} decodes it by the String's coder. */
    private static String latin1OrRaw(byte[] data) {
        return new String(data, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** The text of a String object or a char[] (JDK 8 thread names), or empty if not read. */
    String text(long id) {
        StringFields s = strings.get(id);
        if (s == null) {
            return arrays.getOrDefault(id, "");
        }
        String raw = arrays.get(s.valueId());
        if (raw == null) {
            return "";
        }
        String text = raw;
        // JDK 9+: a byte[] with coder 1 holds UTF-16 in the JVM's byte order, little-endian on x86 and ARM
        if (s.coder() == 1) {
            text = utf16(raw.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), true);
        }
        if (s.count() > 0 && s.offset() >= 0 && s.offset() + s.count() <= text.length()) {
            text = text.substring((int) s.offset(), (int) (s.offset() + s.count())); // JDK 6 and older: offset and count
        }
        return text;
    }

    LongSet missingArrays() {
        LongSet missing = new LongSet();
        for (StringFields s : strings.values()) {
            if (s.valueId() != 0 && !arrays.containsKey(s.valueId())) {
                missing.add(s.valueId());
            }
        }
        return missing;
    }

    /** A primitive array's element type (T_CHAR, T_BYTE, ...) and its bytes. */
    record PrimitiveArray(int type, byte[] data) {
    }

    /** Reads the primitive array sub-record that starts at {@code position}. */
    static PrimitiveArray primitiveArrayAt(java.nio.file.Path path, long position, int idSize) throws IOException {
        try (java.nio.channels.FileChannel fc = java.nio.channels.FileChannel.open(path)) {
            java.nio.ByteBuffer head = java.nio.ByteBuffer.allocate(1 + idSize + 4 + 4 + 1);
            fc.read(head, position);
            head.flip();
            if ((head.get() & 0xff) != Hprof.PRIMITIVE_ARRAY_DUMP) {
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
            int width = type == Hprof.T_CHAR ? 2 : 1;
            if (n < 0 || (long) n * width > fc.size() - position) {
                throw new HprofDecoder.Damage(String.format("a primitive array at byte %,d says %,d elements, past the file's end", position, n));
            }
            java.nio.ByteBuffer data = java.nio.ByteBuffer.allocate(n * width);
            fc.read(data, position + head.capacity());
            return new PrimitiveArray(type, data.array());
        }
    }
}
