package io.lockscope.analyzer.heap;

import java.util.HashMap;
import java.util.Map;

/**
 * Pass 2: the objects lock analysis needs, decoded field by field: threads and their field
 * holders, every AbstractOwnableSynchronizer, queue and condition nodes, read hold counters,
 * thread-local maps and their entries, and the lock objects around synchronizers.
 */
final class HeapObjects implements HprofHandler {

    /**
     * Pass 1 and 2 in one: HotSpot writes every class dump before the first object, so by then the
     * classes that matter are known. A class dump after an object (the hprof agent's several heap
     * dumps) means the objects must be read again in a pass of their own.
     */
    static final class Combined implements HprofHandler {
        final HeapStructure structure = new HeapStructure();
        HeapObjects objects;
        boolean classAfterObjects;

        @Override
        public void header(String format, int idSize, long timestampMillis) {
            structure.header(format, idSize, timestampMillis);
        }

        @Override
        public boolean wantsStrings() {
            return true;
        }

        @Override
        public void string(long id, byte[] utf8) {
            structure.string(id, utf8);
        }

        @Override
        public void loadClass(long classSerial, long classId, long nameId) {
            structure.loadClass(classSerial, classId, nameId);
        }

        @Override
        public void segment(int dumpIndex, long bodyStart, long length) {
            structure.segment(dumpIndex, bodyStart, length);
        }

        @Override
        public void stackFrame(long frameId, long m, long sig, long src, long classSerial, int line) {
            structure.stackFrame(frameId, m, sig, src, classSerial, line);
        }

        @Override
        public void stackTrace(long serial, long threadSerial, long[] frameIds) {
            structure.stackTrace(serial, threadSerial, frameIds);
        }

        @Override
        public void startThread(long threadSerial, long threadObjectId, long traceSerial, long nameId) {
            structure.startThread(threadSerial, threadObjectId, traceSerial, nameId);
        }

        @Override
        public void heapDumpStarted(int index) {
            if (index > 0) {
                classAfterObjects = true; // several heap dumps: only the last counts; read it again on its own
            }
        }

        @Override
        public boolean wantsHeapDump(int index) {
            return structure.wantsHeapDump(index);
        }

        @Override
        public boolean wantsClassDumps() {
            return true;
        }

        @Override
        public void classDump(long classId, long superId, long[] sn, long[] sv, long[] fn, byte[] ft) {
            if (objects != null) {
                classAfterObjects = true;
            }
            structure.classDump(classId, superId, sn, sv, fn, ft);
        }

        @Override
        public void rootThreadObject(long objectId, long threadSerial, long traceSerial) {
            structure.rootThreadObject(objectId, threadSerial, traceSerial);
        }

        @Override
        public void rootMonitorUsed(long objectId) {
            structure.rootMonitorUsed(objectId);
        }

        private HeapObjects objects() {
            if (objects == null) {
                structure.resolve();
                objects = combined(structure);
                objects.chooseClasses();
            }
            return objects;
        }

        @Override
        public boolean wantsInstance(long id, long classId) {
            return !classAfterObjects && objects().wantsInstance(id, classId);
        }

        @Override
        public void instance(long id, long classId, java.nio.ByteBuffer fields, int offset, int length) {
            objects.instance(id, classId, fields, offset, length);
        }

        @Override
        public boolean wantsObjectArray(long id, long arrayClassId) {
            return !classAfterObjects && objects().wantsObjectArray(id, arrayClassId);
        }

        @Override
        public void objectArray(long id, long arrayClassId, long[] elements) {
            objects.objectArray(id, arrayClassId, elements);
        }
    }

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
        this(structure, structure.heapDumps - 1);
        chooseClasses();
    }

    private HeapObjects(HeapStructure structure, int lastDump) {
        this.structure = structure;
        this.lastDump = lastDump;
    }

    /** For the pass that reads structure and objects together: classes are chosen when the first object comes. */
    static HeapObjects combined(HeapStructure structure) {
        return new HeapObjects(structure, -1);
    }

    private void chooseClasses() {
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
        return lastDump < 0 || index == lastDump;
    }

    @Override
    public boolean wantsInstance(long id, long classId) {
        return wanted.contains(classId);
    }

    @Override
    public void instance(long id, long classId, java.nio.ByteBuffer fields, int offset, int length) {
        HeapStructure.ClassInfo c = structure.classById.get(classId);
        objects.put(id, new HeapObject(id, c, decode(c.layout, fields, offset, length, structure.idSize)));
    }

    @Override
    public boolean wantsObjectArray(long id, long arrayClassId) {
        return entryArrayClasses.contains(arrayClassId);
    }

    @Override
    public void objectArray(long id, long arrayClassId, long[] elements) {
        entryArrays.put(id, elements);
    }

    static long[] decode(HeapStructure.Layout layout, java.nio.ByteBuffer b, int base, int length, int idSize) {
        long[] values = new long[layout.names().length];
        for (int i = 0; i < values.length; i++) {
            int off = layout.offsets()[i];
            int type = layout.types()[i];
            if (off >= length) {
                break;
            }
            int at = base + off;
            values[i] = switch (type) {
                case Hprof.T_OBJECT -> idSize == 4 ? b.getInt(at) & 0xffffffffL : b.getLong(at);
                case Hprof.T_BOOLEAN, Hprof.T_BYTE -> b.get(at);
                case Hprof.T_CHAR, Hprof.T_SHORT -> b.getShort(at) & 0xffff;
                case Hprof.T_FLOAT, Hprof.T_INT -> b.getInt(at);
                case Hprof.T_DOUBLE, Hprof.T_LONG -> b.getLong(at);
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
