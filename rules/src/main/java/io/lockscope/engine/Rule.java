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
}
