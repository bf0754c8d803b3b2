package io.lockscope.model;

import java.util.Optional;
import java.util.OptionalLong;

/** What a snapshot says about the JVM that wrote it, for grouping snapshots by JVM. */
public record JvmHints(OptionalLong pid, Optional<String> vmVersion, Optional<String> host) {

    public static JvmHints none() {
        return new JvmHints(OptionalLong.empty(), Optional.empty(), Optional.empty());
    }
}
