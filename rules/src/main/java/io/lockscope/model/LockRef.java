package io.lockscope.model;

/**
 * A lock as a dump names it: its identity within one snapshot (an address such as
 * {@code 0x000000069e37c2c0}, or {@code class@hash} in a JSON dump) and its class.
 */
public record LockRef(String id, String className) {

    public String simpleClassName() {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? className : className.substring(dot + 1);
    }

    @Override
    public String toString() {
        return "<" + id + "> (a " + className + ")";
    }
}
