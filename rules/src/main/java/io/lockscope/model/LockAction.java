package io.lockscope.model;

/** One lock line under a stack frame, e.g. {@code - waiting to lock <0x...> (a java.lang.Object)}. */
public record LockAction(Kind kind, LockRef lock, SourceRef at) {

    public enum Kind {
        /** {@code - locked}: holds the monitor, unless the thread is in Object.wait() on it. */
        LOCKED("locked"),
        /** {@code - waiting to lock}: blocked entering a monitor. */
        WAITING_TO_LOCK("waiting to lock"),
        /** {@code - waiting on}: in Object.wait(); the monitor is released meanwhile. */
        WAITING_ON("waiting on"),
        /** {@code - waiting to re-lock in wait()}: notified, or printed as such by JDK 11's quirk. */
        WAITING_TO_RELOCK("waiting to re-lock in wait()"),
        /** {@code - parking to wait for}: LockSupport.park with a blocker. */
        PARKING("parking to wait for"),
        /** {@code - eliminated}: a lock the JIT removed; no other thread can contend for it. */
        ELIMINATED("eliminated"),
        /** {@code - waiting on the Class initialization monitor for X}: another thread runs X's {@code <clinit>}. */
        WAITING_FOR_CLASS_INIT("waiting on the Class initialization monitor for");

        private final String text;

        Kind(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }
}
