package io.lockscope.engine;

import java.util.Locale;

public enum Severity {
    INFO, WARNING, ERROR;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Severity parse(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }

    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }
}
