package io.lockscope.model;

import java.util.List;

/**
 * One stack frame: the method ({@code pkg.Class.method}), where it is ({@code File.java:12},
 * {@code Native Method}), and the lock lines printed under it.
 */
public record Frame(String method, String location, List<LockAction> locks) {

    public Frame {
        locks = List.copyOf(locks);
    }

    public String className() {
        int dot = method.lastIndexOf('.');
        return dot < 0 ? method : method.substring(0, dot);
    }

    public String methodName() {
        int dot = method.lastIndexOf('.');
        return dot < 0 ? method : method.substring(dot + 1);
    }

    /** The frame as a thread dump prints it. */
    public String text() {
        return location.isEmpty() ? method : method + "(" + location + ")";
    }
}
