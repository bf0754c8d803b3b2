package io.lockscope.analyzer.heap;

import io.lockscope.analyzer.LongMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pass 1: everything but the objects. Names (UTF8 records), classes and their field layouts,
 * stack frames and traces, thread roots and monitors in use. Memory is bounded by the number of
 * classes, methods and threads, never by the heap.
 */
final class HeapStructure implements HprofHandler {

    /** One class: its name ({@code java.lang.Thread}, dots always), superclass and instance fields in dump order. */
    static final class ClassInfo {
        final long id;
        final long superId;
        final String[] fieldNames;
        final byte[] fieldTypes;
        final Map<String, Long> staticObjects;
        String name = "?";
        Layout layout;

        ClassInfo(long id, long superId, String[] fieldNames, byte[] fieldTypes, Map<String, Long> staticObjects) {
            this.id = id;
            this.superId = superId;
            this.fieldNames = fieldNames;
            this.fieldTypes = fieldTypes;
            this.staticObjects = staticObjects;
        }
    }

    /** All instance fields of a class with their supers', in the order an instance dump lists their values. */
    record Layout(String[] names, byte[] types, int[] offsets, int[] objectOffsets, String[] objectNames) {

        int indexOf(String field) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equals(field)) {
                    return i;
                }
            }
            return -1;
        }
    }

    record FrameInfo(long methodNameId, long signatureId, long sourceFileId, long classSerial, int line) {
    }

    record ThreadRoot(long objectId, long threadSerial, long traceSerial) {
    }

    final Map<Long, String> strings = new HashMap<>();
    final Map<Long, Long> classNameIds = new HashMap<>();
    final Map<Long, Long> classIdsBySerial = new HashMap<>();
    final Map<Long, ClassInfo> classes = new LinkedHashMap<>();
    /** The same classes, for the per-object lookups of a pass over every instance. */
    final LongMap<ClassInfo> classById = new LongMap<>();
    final Map<Long, FrameInfo> frames = new HashMap<>();
    final Map<Long, long[]> traces = new HashMap<>();
    final Map<Long, Long> traceByThreadSerial = new HashMap<>();
    /** Thread roots and monitors of each heap dump; the last dump is the one used. */
    final Map<Integer, List<ThreadRoot>> threadRoots = new HashMap<>();
    final Map<Integer, List<Long>> monitorsUsed = new HashMap<>();
    /** A thread the hprof agent saw start: its object, its stack trace and its name (a string id). */
    record StartedThread(long objectId, long traceSerial, long nameId) {
    }

    /** A heap dump record's body: where it starts and how long it is. */
    record Segment(long bodyStart, long length) {
    }

    /** hprof-agent dumps: thread serial to object id and name. */
    final Map<Long, StartedThread> startedThreads = new HashMap<>();
    /** Heap dump records of each dump. */
    final Map<Integer, List<Segment>> segments = new HashMap<>();
    String format = "";
    int idSize = 8;
    long timestampMillis;
    /** Written by the old hprof agent (it announces threads; its thread roots carry allocation sites, not stacks). */
    boolean agent;
    int heapDumps;
    private int currentDump = -1;

    @Override
    public void header(String format, int idSize, long timestampMillis) {
        this.format = format;
        this.idSize = idSize;
        this.timestampMillis = timestampMillis;
    }

    @Override
    public boolean wantsStrings() {
        return true;
    }

    @Override
    public void string(long id, byte[] utf8) {
        strings.put(id, new String(utf8, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public void segment(int dumpIndex, long bodyStart, long length) {
        segments.computeIfAbsent(dumpIndex, k -> new ArrayList<>()).add(new Segment(bodyStart, length));
    }

    @Override
    public void loadClass(long classSerial, long classId, long nameId) {
        classNameIds.put(classId, nameId);
        classIdsBySerial.put(classSerial, classId);
    }

    @Override
    public void stackFrame(long frameId, long methodNameId, long signatureId, long sourceFileId, long classSerial, int line) {
        frames.put(frameId, new FrameInfo(methodNameId, signatureId, sourceFileId, classSerial, line));
    }

    @Override
    public void stackTrace(long serial, long threadSerial, long[] frameIds) {
        traces.put(serial, frameIds);
        if (threadSerial != 0) {
            traceByThreadSerial.putIfAbsent(threadSerial, serial);
        }
    }

    @Override
    public void startThread(long threadSerial, long threadObjectId, long traceSerial, long nameId) {
        startedThreads.put(threadSerial, new StartedThread(threadObjectId, traceSerial, nameId));
        agent = true;
    }

    @Override
    public boolean wantsHeapDump(int index) {
        currentDump = index;
        heapDumps = Math.max(heapDumps, index + 1);
        return true;
    }

    @Override
    public boolean wantsClassDumps() {
        return true;
    }

    @Override
    public void classDump(long classId, long superId, long[] staticNames, long[] staticObjectValues,
            long[] fieldNames, byte[] fieldTypes) {
        String[] names = new String[fieldNames.length];
        for (int i = 0; i < names.length; i++) {
            names[i] = strings.getOrDefault(fieldNames[i], "?");
        }
        Map<String, Long> statics = new HashMap<>();
        for (int i = 0; i < staticNames.length; i++) {
            statics.put(strings.getOrDefault(staticNames[i], "?"), staticObjectValues[i]);
        }
        ClassInfo info = new ClassInfo(classId, superId, names, fieldTypes, statics);
        classes.put(classId, info);
        classById.put(classId, info);
    }

    @Override
    public void rootThreadObject(long objectId, long threadSerial, long traceSerial) {
        threadRoots.computeIfAbsent(currentDump, k -> new ArrayList<>()).add(new ThreadRoot(objectId, threadSerial, traceSerial));
    }

    @Override
    public void rootMonitorUsed(long objectId) {
        monitorsUsed.computeIfAbsent(currentDump, k -> new ArrayList<>()).add(objectId);
    }

    /** The first class whose superclasses run in a ring (damage), or null. */
    String superclassRing;

    /** Names every class ({@code java/lang/Thread} and {@code java.lang.Thread} both become the latter) and lays out its fields. */
    void resolve() {
        for (ClassInfo c : classes.values()) {
            String raw = strings.getOrDefault(classNameIds.getOrDefault(c.id, 0L), "?");
            c.name = raw.replace('/', '.');
        }
        for (ClassInfo c : classes.values()) {
            c.layout = layout(c);
        }
    }

    /**
     * How many superclasses a walk up from a class follows: far more than any class has, and an end
     * to a walk round a ring of them, which a damaged dump can make (a class its own superclass).
     */
    static final int MAX_SUPERCLASSES = 1024;

    private Layout layout(ClassInfo c) {
        List<String> names = new ArrayList<>();
        List<Byte> types = new ArrayList<>();
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (ClassInfo k = c; k != null; k = classes.get(k.superId)) {
            if (!seen.add(k.id)) {
                // a class seen again: a ring of superclasses, which only damage makes
                if (superclassRing == null) {
                    superclassRing = (c.name.equals("?") ? "the class" : c.name) + String.format(" (class id 0x%x)", c.id);
                }
                break;
            }
            for (int i = 0; i < k.fieldNames.length; i++) {
                names.add(k.fieldNames[i]);
                types.add(k.fieldTypes[i]);
            }
            if (k.superId == 0) {
                break;
            }
        }
        int n = names.size();
        int[] offsets = new int[n];
        byte[] t = new byte[n];
        int off = 0;
        List<Integer> objectOffsets = new ArrayList<>();
        List<String> objectNames = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            t[i] = types.get(i);
            offsets[i] = off;
            if (t[i] == Hprof.T_OBJECT) {
                objectOffsets.add(off);
                objectNames.add(names.get(i));
            }
            off += sizeOf(t[i]);
        }
        return new Layout(names.toArray(new String[0]), t, offsets,
                objectOffsets.stream().mapToInt(Integer::intValue).toArray(), objectNames.toArray(new String[0]));
    }

    int sizeOf(int type) {
        return switch (type) {
            case Hprof.T_OBJECT -> idSize;
            case Hprof.T_BOOLEAN, Hprof.T_BYTE -> 1;
            case Hprof.T_CHAR, Hprof.T_SHORT -> 2;
            case Hprof.T_FLOAT, Hprof.T_INT -> 4;
            case Hprof.T_DOUBLE, Hprof.T_LONG -> 8;
            default -> 0;
        };
    }

    boolean isSubclassOf(ClassInfo c, String ancestor) {
        ClassInfo k = c;
        for (int depth = 0; k != null && depth < MAX_SUPERCLASSES; k = classes.get(k.superId), depth++) {
            if (k.name.equals(ancestor)) {
                return true;
            }
            if (k.superId == 0) {
                return false;
            }
        }
        return false;
    }

    ClassInfo byName(String name) {
        for (ClassInfo c : classes.values()) {
            if (c.name.equals(name)) {
                return c;
            }
        }
        return null;
    }

    /** The class ids whose name is given (a class may be loaded by several loaders). */
    List<Long> idsOf(String name) {
        List<Long> out = new ArrayList<>();
        for (Map.Entry<Long, Long> e : classNameIds.entrySet()) {
            if (strings.getOrDefault(e.getValue(), "").replace('/', '.').equals(name)) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    List<ThreadRoot> lastThreadRoots() {
        return threadRoots.getOrDefault(heapDumps - 1, List.of());
    }

    List<Long> lastMonitorsUsed() {
        return monitorsUsed.getOrDefault(heapDumps - 1, List.of());
    }
}
