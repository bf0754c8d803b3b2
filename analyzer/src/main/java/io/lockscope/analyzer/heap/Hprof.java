package io.lockscope.analyzer.heap;

/**
 * HPROF's numbers: record tags, heap dump sub-record tags and basic types, as the JDK writes them
 * (src/hotspot/share/services/heapDumper.cpp) and documents them (the hprof format in
 * demo/jvmti/hprof of JDK 6-8).
 */
final class Hprof {

    private Hprof() {
    }

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
}
