package io.lockscope.model;

/** What sort of lock an object is, as far as its class name tells. */
public enum LockKind {
    /** A Java object used with {@code synchronized}. */
    MONITOR,
    /** An ownable synchronizer held by one thread at a time: ReentrantLock, a write lock. */
    EXCLUSIVE,
    /** ReentrantReadWriteLock's sync: exclusive for writers, shared for readers. */
    READ_WRITE,
    /** Held by many at once and recording no owner: Semaphore, CountDownLatch. */
    SHARED,
    /** StampedLock: records no owner. */
    STAMPED,
    /** A condition queue: a thread parked here waits for a signal, not for an owner. */
    CONDITION,
    /** The initialization of a class: held by the thread running its static initializer. */
    CLASS_INIT,
    /** Some other park blocker (a queue, a future, a pool): no owner to wait for. */
    OTHER;

    /** The lock that stands for the initialization of a class, as a thread dump names it. */
    public static LockRef classInit(String className) {
        return new LockRef("<clinit> " + className, className);
    }

    /** Kind of a lock that a thread parks on, from the blocker's class name. */
    public static LockKind ofParkBlocker(String className) {
        if (className.startsWith("java.util.concurrent.locks.ReentrantReadWriteLock")) {
            return READ_WRITE;
        }
        if (className.startsWith("java.util.concurrent.locks.ReentrantLock")) {
            return EXCLUSIVE;
        }
        if (className.endsWith("$ConditionObject")) {
            return CONDITION;
        }
        if (className.startsWith("java.util.concurrent.Semaphore")
                || className.startsWith("java.util.concurrent.CountDownLatch")) {
            return SHARED;
        }
        if (className.startsWith("java.util.concurrent.locks.StampedLock")) {
            return STAMPED;
        }
        return OTHER;
    }

    /** Whether a thread waiting on a lock of this kind waits for a thread that owns it. */
    public boolean hasOwner() {
        // a StampedLock records no owner, but its stamps are held by threads: a waiter waits for them
        return this == MONITOR || this == EXCLUSIVE || this == READ_WRITE || this == STAMPED || this == CLASS_INIT;
    }
}
