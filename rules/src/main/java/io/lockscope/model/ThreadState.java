package io.lockscope.model;

/** java.lang.Thread.State, plus UNKNOWN for dumps that do not print it (JDK 1.4 and 5). */
public enum ThreadState {
    NEW, RUNNABLE, BLOCKED, WAITING, TIMED_WAITING, TERMINATED, UNKNOWN;

    public static ThreadState parse(String s) {
        try {
            return valueOf(s.trim());
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }
}
