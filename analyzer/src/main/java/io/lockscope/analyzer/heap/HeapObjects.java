package io.lockscope.analyzer.heap;

import java.util.HashMap;
import java.util.Map;

/**
 * Pass 2: the objects lock analysis needs, decoded field by field: threads and their field
 * holders, every AbstractOwnableSynchronizer, queue and condition nodes, read hold counters,
 * thread-local maps and their entries, and the lock objects around synchronizers.
 */
final class HeapObjects implements HprofHandler {

    /** An object and its instance field values, widened to longs, in its class's layout order. */
    record HeapObject(long id, HeapStructure.ClassInfo cls, long[] values) {

        long get(String field) {
            int i = cls.layout.indexOf(field);
            return i < 0 ? 0 : values[i];
        }

        boolean has(String field) {
            return cls.layout.indexOf(field) >= 0;
        }
    }

    final HeapStructure structure;
    final LongSet wanted = new LongSet();
    final LongSet entryArrayClasses = new LongSet();
    final Map<Long, HeapObject> objects = new HashMap<>();
    final Map<Long, long[]> entryArrays = new HashMap<>();
    private final int lastDump;

    HeapObjects(HeapStructure structure) {
        this.structure = structure;
        this.lastDump = structure.heapDumps - 1;
        for (HeapStructure.ClassInfo c : structure.classes.values()) {
            if (HeapClasses.isWanted(structure, c)) {
                wanted.add(c.id);
            }
        }
        for (Long id : structure.idsOf("[Ljava.lang.ThreadLocal$ThreadLocalMap$Entry;")) {
            entryArrayClasses.add(id);
        }
    }

    @Override
    public boolean wantsHeapDump(int index) {
        return index == lastDump;
    }

    @Override
    public boolean wantsInstance(long id, long classId) {
        return wanted.contains(classId);
    }

    @Override
    public void instance(long id, long classId, byte[] fields, int length) {
        HeapStructure.ClassInfo c = structure.classes.get(classId);
        objects.put(id, new HeapObject(id, c, decode(c.layout, fields, length, structure.idSize)));
    }

    @Override
    public boolean wantsObjectArray(long id, long arrayClassId) {
        return entryArrayClasses.contains(arrayClassId);
    }

    @Override
    public void objectArray(long id, long arrayClassId, long[] elements) {
        entryArrays.put(id, elements);
    }

    static long[] decode(HeapStructure.Layout layout, byte[] b, int length, int idSize) {
        long[] values = new long[layout.names().length];
        for (int i = 0; i < values.length; i++) {
            int off = layout.offsets()[i];
            int type = layout.types()[i];
            if (off >= length) {
                break;
            }
            values[i] = switch (type) {
                case HprofDecoder.T_OBJECT -> idSize == 4 ? u4(b, off) : i8(b, off);
                case HprofDecoder.T_BOOLEAN, HprofDecoder.T_BYTE -> b[off];
                case HprofDecoder.T_CHAR, HprofDecoder.T_SHORT -> ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
                case HprofDecoder.T_FLOAT, HprofDecoder.T_INT -> i4(b, off);
                case HprofDecoder.T_DOUBLE, HprofDecoder.T_LONG -> i8(b, off);
                default -> 0;
            };
        }
        return values;
    }

    static int i4(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    static long u4(byte[] b, int off) {
        return i4(b, off) & 0xffffffffL;
    }

    static long i8(byte[] b, int off) {
        return ((long) i4(b, off) << 32) | u4(b, off + 4);
    }
}
