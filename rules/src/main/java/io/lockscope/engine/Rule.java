package io.lockscope.engine;

/**
 * A check over one JVM's lock graphs and history. Stateless; metadata in {@link RuleMeta}.
 * Implementations are listed in META-INF/services/io.lockscope.engine.Rule.
 */
public interface Rule {

    RuleResult check(RuleContext context);

    default RuleInfo info() {
        return RuleInfo.of(getClass());
    }

    /** The rule's tunable numbers, with their defaults; listed on its page. */
    default java.util.List<Threshold> thresholds() {
        return java.util.List.of();
    }
}
