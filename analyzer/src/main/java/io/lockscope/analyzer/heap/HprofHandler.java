package io.lockscope.analyzer.heap;

/**
 * What a pass over an HPROF file wants from it. The decoder asks before it decodes anything
 * large, so a pass pays only for what it keeps; everything else is skipped by its length.
 */
interface HprofHandler {

    default void header(String format, int idSize, long timestampMillis) {
    }

    default boolean wantsStrings() {
        return false;
    }

    default void string(long id, byte[] utf8) {
    }

    default void loadClass(long classSerial, long classId, long nameId) {
    }

    default void stackFrame(long frameId, long methodNameId, long signatureId, long sourceFileId, long classSerial, int line) {
    }

    default void stackTrace(long serial, long threadSerial, long[] frameIds) {
    }

    /** hprof-agent dumps (JDK 5-8 -agentlib:hprof) announce threads with their names. */
    default void startThread(long threadSerial, long threadObjectId, long traceSerial, long nameId) {
    }

    /** A HEAP_DUMP or HEAP_DUMP_SEGMENT record: where its body starts and how long it is. */
    default void segment(int dumpIndex, long bodyStart, long length) {
    }

    /** A new heap dump begins (files written by the hprof agent may hold several). */
    default void heapDumpStarted(int index) {
    }

    /** Whether to look inside heap dump number {@code index} (0-based); the others are skipped. */
    default boolean wantsHeapDump(int index) {
        return true;
    }

    /** Whether this pass needs class dumps decoded (pass 1 does; the others know the layouts). */
    default boolean wantsClassDumps() {
        return false;
    }

    /**
     * A class: its superclass, its static fields of object type (name ids and values) and its
     * instance fields in dump order.
     */
    default void classDump(long classId, long superId, long[] staticNames, long[] staticObjectValues,
            long[] fieldNames, byte[] fieldTypes) {
    }

    default void rootThreadObject(long objectId, long threadSerial, long traceSerial) {
    }

    default void rootMonitorUsed(long objectId) {
    }

    default void rootJavaFrame(long objectId, long threadSerial, int frameNumber) {
    }

    default boolean wantsInstance(long id, long classId) {
        return false;
    }

    /**
     * The instance's field bytes: {@code length} bytes from {@code offset} in {@code fields}
     * (big-endian), valid only during the call.
     */
    default void instance(long id, long classId, java.nio.ByteBuffer fields, int offset, int length) {
    }

    default boolean wantsObjectArray(long id, long arrayClassId) {
        return false;
    }

    default void objectArray(long id, long arrayClassId, long[] elements) {
    }

    default boolean wantsPrimitiveArray(long id, int type) {
        return false;
    }

    /** Every primitive array passes here first, with where its sub-record starts in the file. */
    default void primitiveArrayAt(long id, int type, int count, long position) {
    }

    default void primitiveArray(long id, int type, byte[] data) {
    }

    /** A pass may stop early once it has all it came for. */
    default boolean done() {
        return false;
    }
}
