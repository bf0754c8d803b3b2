package io.lockscope.engine;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a configuration file says: which rules run, at what severity, with which thresholds, and
 * the extra frame patterns that mean "idle" (a pool waiting for work) or "blocking" (I/O).
 */
public final class RuleSettings {

    private final Set<String> disabled = new HashSet<>();
    private final Map<String, Severity> severities = new HashMap<>();
    private final Map<String, Map<String, Long>> thresholds = new HashMap<>();
    private final Map<String, List<String>> patterns = new HashMap<>();

    public static RuleSettings defaults() {
        return new RuleSettings();
    }

    public RuleSettings disable(String rule) {
        disabled.add(rule);
        return this;
    }

    public RuleSettings severity(String rule, Severity severity) {
        severities.put(rule, severity);
        return this;
    }

    public RuleSettings threshold(String rule, String key, long value) {
        thresholds.computeIfAbsent(rule, k -> new HashMap<>()).put(key, value);
        return this;
    }

    /** Adds frame patterns of a kind ("idle-frames", "blocking-frames"): a prefix of a frame's method. */
    public RuleSettings patterns(String kind, List<String> prefixes) {
        patterns.merge(kind, List.copyOf(prefixes), (a, b) -> {
            List<String> all = new java.util.ArrayList<>(a);
            all.addAll(b);
            return List.copyOf(all);
        });
        return this;
    }

    public boolean enabled(String rule) {
        return !disabled.contains(rule);
    }

    public Optional<Severity> severity(String rule) {
        return Optional.ofNullable(severities.get(rule));
    }

    public long threshold(String rule, Threshold t) {
        return thresholds.getOrDefault(rule, Map.of()).getOrDefault(t.key(), t.defaultValue());
    }

    public List<String> patterns(String kind) {
        return patterns.getOrDefault(kind, List.of());
    }
}
