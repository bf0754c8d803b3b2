package io.lockscope.engine;

import java.util.List;

/** A rule's metadata as data. */
public record RuleInfo(String id, String summary, Severity defaultSeverity, List<Input> needs, String hint) {

    public static RuleInfo of(Class<?> ruleClass) {
        RuleMeta meta = ruleClass.getAnnotation(RuleMeta.class);
        if (meta == null) {
            throw new IllegalStateException(ruleClass.getName() + " has no @RuleMeta");
        }
        return new RuleInfo(meta.id(), meta.summary(), meta.severity(), List.of(meta.needs()), meta.hint());
    }
}
