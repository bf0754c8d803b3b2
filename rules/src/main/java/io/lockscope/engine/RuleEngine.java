package io.lockscope.engine;

import io.lockscope.model.JvmHistory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

/** Runs every enabled rule over every JVM. */
public final class RuleEngine {

    private final List<Rule> rules;

    public RuleEngine(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The built-in rules, found through {@link ServiceLoader}. Fails on a duplicate id. */
    public static List<Rule> builtIn() {
        List<Rule> found = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (Rule rule : ServiceLoader.load(Rule.class, Rule.class.getClassLoader())) {
            String previous = seen.put(rule.info().id(), rule.getClass().getName());
            if (previous != null) {
                throw new IllegalStateException("rule id '" + rule.info().id() + "' is used by both "
                        + previous + " and " + rule.getClass().getName());
            }
            found.add(rule);
        }
        found.sort(Comparator.comparing(r -> r.info().id()));
        return found;
    }

    public List<Rule> rules() {
        return rules;
    }

    /** The findings, most severe first, and per JVM the rules that could not tell and why. */
    public record Outcome(List<Finding> findings, Map<String, Map<String, String>> notApplicable) {
    }

    public Outcome run(List<JvmHistory> jvms, Set<String> enabled) {
        List<Finding> findings = new ArrayList<>();
        Map<String, Map<String, String>> notApplicable = new LinkedHashMap<>();
        for (JvmHistory jvm : jvms) {
            RuleContext context = new RuleContext(jvm);
            for (Rule rule : rules) {
                if (!enabled.contains(rule.info().id())) {
                    continue;
                }
                RuleResult result = rule.check(context);
                if (result instanceof RuleResult.Findings f) {
                    findings.addAll(f.findings());
                } else if (result instanceof RuleResult.NotApplicable na) {
                    notApplicable.computeIfAbsent(jvm.id(), k -> new LinkedHashMap<>()).put(rule.info().id(), na.reason());
                }
            }
        }
        findings.sort(Comparator.comparing(Finding::severity).reversed()
                .thenComparing(Finding::jvm).thenComparing(Finding::rule).thenComparing(Finding::title));
        return new Outcome(findings, notApplicable);
    }
}
