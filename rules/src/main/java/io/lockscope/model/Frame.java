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

    /**
     * Where a frame of this class is, for readers whose frames have a line number and no file
     * name (JFR, the Serviceability Agent): the top-level class's simple name with ".java", as
     * javac names the file in nearly every case.
     */
    public static String guessedSourceFile(String className) {
        String top = className.contains("$") ? className.substring(0, className.indexOf('$')) : className;
        int dot = top.lastIndexOf('.');
        return (dot < 0 ? top : top.substring(dot + 1)) + ".java";
    }

    /** The frame as a thread dump prints it. */
    public String text() {
        return location.isEmpty() ? method : method + "(" + location + ")";
    }
}
