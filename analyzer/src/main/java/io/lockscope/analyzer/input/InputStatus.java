package io.lockscope.analyzer.input;

import java.util.Locale;

/** What became of an input: read whole, read up to damage, passed over, or not readable at all. */
public enum InputStatus {
    READ, PARTIAL, SKIPPED, FAILED;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
