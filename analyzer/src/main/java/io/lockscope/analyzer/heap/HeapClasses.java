package io.lockscope.analyzer.heap;

/**
 * The classes that lock analysis reads from a heap, by name and by ancestry, with the JDK
 * versions that changed them.
 *
 * <ul>
 * <li>java.lang.Thread: {@code name} is a char[] up to JDK 8 and a String from JDK 9;
 *     {@code threadStatus} and {@code daemon} moved into {@code Thread$FieldHolder holder} in JDK 19.</li>
 * <li>AbstractQueuedSynchronizer$Node: {@code thread}/{@code waitStatus} up to JDK 13;
 *     {@code waiter}/{@code status} with ExclusiveNode/SharedNode/ConditionNode from JDK 14
 *     (JDK-8229442).</li>
 * <li>ReentrantReadWriteLock$Sync keeps {@code firstReader}, {@code firstReaderHoldCount},
 *     {@code cachedHoldCounter} (a HoldCounter with a thread id, not a reference) and
 *     {@code readHolds} (a ThreadLocal whose values live in each reader's threadLocals).</li>
 * </ul>
 */
final class HeapClasses {

    static final String THREAD = "java.lang.Thread";
    static final String FIELD_HOLDER = "java.lang.Thread$FieldHolder";
    static final String VIRTUAL_THREAD = "java.lang.VirtualThread";
    static final String AOS = "java.util.concurrent.locks.AbstractOwnableSynchronizer";
    static final String AQLS = "java.util.concurrent.locks.AbstractQueuedLongSynchronizer";
    static final String AQS_NODE = "java.util.concurrent.locks.AbstractQueuedSynchronizer$Node";
    static final String AQLS_NODE = "java.util.concurrent.locks.AbstractQueuedLongSynchronizer$Node";
    static final String AQS_CONDITION = "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject";
    static final String AQLS_CONDITION = "java.util.concurrent.locks.AbstractQueuedLongSynchronizer$ConditionObject";
    static final String HOLD_COUNTER = "java.util.concurrent.locks.ReentrantReadWriteLock$Sync$HoldCounter";
    static final String RRWL_SYNC = "java.util.concurrent.locks.ReentrantReadWriteLock$Sync";
    static final String THREAD_LOCAL_MAP = "java.lang.ThreadLocal$ThreadLocalMap";
    static final String THREAD_LOCAL_ENTRY = "java.lang.ThreadLocal$ThreadLocalMap$Entry";
    static final String REENTRANT_LOCK = "java.util.concurrent.locks.ReentrantLock";
    static final String RRWL = "java.util.concurrent.locks.ReentrantReadWriteLock";
    static final String READ_LOCK = "java.util.concurrent.locks.ReentrantReadWriteLock$ReadLock";
    static final String WRITE_LOCK = "java.util.concurrent.locks.ReentrantReadWriteLock$WriteLock";
    static final String SEMAPHORE = "java.util.concurrent.Semaphore";
    static final String LATCH = "java.util.concurrent.CountDownLatch";
    static final String STAMPED = "java.util.concurrent.locks.StampedLock";
    static final String STRING = "java.lang.String";
    static final String VERSION_PROPS = "java.lang.VersionProps";

    /**
     * JVMTI thread status bits, what Thread.threadStatus holds: the JDK's jvmti.h
     * (src/hotspot/share/prims/jvmti.xml, "Thread State Flags"). 0x0080 is any wait, 0x0040 a sleep.
     */
    static final int JVMTI_ALIVE = 0x0001;
    static final int JVMTI_TERMINATED = 0x0002;
    static final int JVMTI_RUNNABLE = 0x0004;
    static final int JVMTI_WAITING_INDEFINITELY = 0x0010;
    static final int JVMTI_WAITING_WITH_TIMEOUT = 0x0020;
    static final int JVMTI_SLEEPING = 0x0040;
    static final int JVMTI_WAITING = 0x0080;
    static final int JVMTI_IN_OBJECT_WAIT = 0x0100;
    static final int JVMTI_PARKED = 0x0200;
    static final int JVMTI_BLOCKED_ON_MONITOR_ENTER = 0x0400;
    /** VirtualThread.TERMINATED (JDK 21+). */
    static final int VIRTUAL_TERMINATED = 99;

    private HeapClasses() {
    }

    /** The thread of a queue or condition node: {@code waiter} since JDK 14's AQS rewrite, {@code thread} before. */
    static long nodeWaiter(HeapObjects.HeapObject node) {
        return node.has("waiter") ? node.get("waiter") : node.get("thread");
    }

    /** Whether a queue node gave up waiting: {@code status < 0} since JDK 14 (CANCELLED), {@code waitStatus == 1} before. */
    static boolean nodeCancelled(HeapObjects.HeapObject node) {
        return node.has("status") ? node.get("status") < 0 : node.get("waitStatus") == 1;
    }

    static boolean isWanted(HeapStructure s, HeapStructure.ClassInfo c) {
        return s.isSubclassOf(c, THREAD) || c.name.equals(FIELD_HOLDER)
                || s.isSubclassOf(c, AOS) || s.isSubclassOf(c, AQS_NODE) || s.isSubclassOf(c, AQLS_NODE)
                || s.isSubclassOf(c, AQS_CONDITION) || s.isSubclassOf(c, AQLS_CONDITION)
                || c.name.equals(HOLD_COUNTER) || c.name.equals(THREAD_LOCAL_MAP) || c.name.equals(THREAD_LOCAL_ENTRY)
                || s.isSubclassOf(c, REENTRANT_LOCK) || s.isSubclassOf(c, RRWL) || c.name.equals(READ_LOCK)
                || c.name.equals(WRITE_LOCK) || s.isSubclassOf(c, SEMAPHORE) || s.isSubclassOf(c, LATCH)
                || s.isSubclassOf(c, STAMPED);
    }
}
