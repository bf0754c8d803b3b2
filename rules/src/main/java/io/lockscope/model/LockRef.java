package io.lockscope.model;

/**
 * A lock as a dump names it: its identity within one snapshot (an address such as
 * {@code 0x000000069e37c2c0}, or {@code class@hash} in a JSON dump) and its class.
 */
public record LockRef(String id, String className) {

    /** {@code ReentrantLock$NonfairSync}; an array class {@code [Ljava.lang.String;} as {@code String[]}. */
    public String simpleClassName() {
        String c = className;
        String dims = "";
        while (c.startsWith("[")) {
            dims += "[]";
            c = c.substring(1);
        }
        if (!dims.isEmpty()) {
            c = c.startsWith("L") && c.endsWith(";") ? c.substring(1, c.length() - 1) : switch (c) {
                case "I" -> "int"; case "J" -> "long"; case "B" -> "byte"; case "C" -> "char";
                case "S" -> "short"; case "Z" -> "boolean"; case "F" -> "float"; case "D" -> "double";
                default -> c;
            };
        }
        int dot = c.lastIndexOf('.');
        return (dot < 0 ? c : c.substring(dot + 1)) + dims;
    }

    /** Whether this stands for a class's initialization rather than an object. */
    public boolean isClassInit() {
        return id.startsWith("<clinit> ");
    }

    /** As a thread dump would print it: {@code <0x...> (a java.lang.Object)}. */
    @Override
    public String toString() {
        return isClassInit() ? "the initialization of class " + className : "<" + id + "> (a " + className + ")";
    }
}
