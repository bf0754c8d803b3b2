package io.lockscope.engine;

import java.util.List;

/** What a rule says about one JVM: findings (maybe none), or that it cannot tell and why. */
public sealed interface RuleResult {

    record Findings(List<Finding> findings) implements RuleResult {
        public Findings {
            findings = List.copyOf(findings);
        }
    }

    record NotApplicable(String reason) implements RuleResult {
    }

    static RuleResult of(List<Finding> findings) {
        return new Findings(findings);
    }

    static RuleResult notApplicable(String reason) {
        return new NotApplicable(reason);
    }
}
