package io.lockscope.engine;

/**
 * A rule's tunable number: its key in the config file, what it means, its unit, its default.
 * Declared as a constant on the rule; read through {@link RuleContext#threshold(Threshold)}.
 */
public record Threshold(String key, String description, String unit, long defaultValue) {

    public static Threshold of(String key, String description, String unit, long defaultValue) {
        return new Threshold(key, description, unit, defaultValue);
    }
}
