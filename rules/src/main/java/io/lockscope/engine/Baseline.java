package io.lockscope.engine;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Findings already known, by rule and fingerprint, so that CI fails only on new ones. A
 * fingerprint leaves out addresses, pids and the numbers in thread names, so the same problem in
 * tomorrow's dump matches.
 */
public record Baseline(Set<String> keys) {

    public Baseline {
        keys = Set.copyOf(keys);
    }

    public static Baseline none() {
        return new Baseline(Set.of());
    }

    public static Baseline of(List<Finding> findings) {
        return new Baseline(findings.stream().map(Baseline::key).collect(Collectors.toSet()));
    }

    public static String key(Finding f) {
        return f.rule() + "|" + f.fingerprint();
    }

    public boolean contains(Finding f) {
        return keys.contains(key(f));
    }
}
