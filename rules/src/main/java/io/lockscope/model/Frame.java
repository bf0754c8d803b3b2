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

    /**
     * Whether the class is the JDK's own code (java., javax., jdk., sun.): everything else, the
     * application's code and its libraries', is what a finding points a person to.
     */
    public static boolean isJdkClass(String className) {
        return className.startsWith("java.") || className.startsWith("jdk.") || className.startsWith("sun.")
                || className.startsWith("javax.");
    }

    /** Whether this frame is a native method's ("Native Method" where a line would be). */
    public boolean isNative() {
        return location.endsWith("Native Method");
    }

    /** Whether this frame runs the application's code (or a library's), not the JDK's. */
    public boolean isApplication() {
        return !isJdkClass(className());
    }

    /** The first application frame of a stack, innermost first: where the application called into the JDK. */
    public static java.util.Optional<Frame> firstApplication(List<Frame> stack) {
        return stack.stream().filter(Frame::isApplication).findFirst();
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
        String top = topLevelClass(className);
        int dot = top.lastIndexOf('.');
        return (dot < 0 ? top : top.substring(dot + 1)) + ".java";
    }

    /** The class a nested class is declared in, at the top: "java.util.concurrent.locks.ReentrantLock" for "...ReentrantLock$NonfairSync". */
    public static String topLevelClass(String className) {
        int dollar = className.indexOf('$');
        return dollar < 0 ? className : className.substring(0, dollar);
    }

    /** The line number in its location ({@code File.java:12}), where there is one. */
    public java.util.OptionalInt line() {
        int colon = location.lastIndexOf(':');
        if (colon < 0 || colon == location.length() - 1) {
            return java.util.OptionalInt.empty();
        }
        for (int i = colon + 1; i < location.length(); i++) {
            if (location.charAt(i) < '0' || location.charAt(i) > '9' || i - colon > 9) {
                return java.util.OptionalInt.empty();
            }
        }
        return java.util.OptionalInt.of(Integer.parseInt(location.substring(colon + 1)));
    }

    /** The frame as a thread dump prints it. */
    public String text() {
        return location.isEmpty() ? method : method + "(" + location + ")";
    }
}
