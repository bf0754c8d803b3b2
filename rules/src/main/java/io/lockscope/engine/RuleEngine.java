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

    /**
     * One problem, one finding: findings of one rule in one JVM with the same fingerprint (the same
     * code, locks and kinds of thread, seen with other thread instances or in other dumps) become
     * one, keeping the first one's words, all the threads and locks, and the evidence of the first
     * and last dumps (see {@link Findings}, which rules also use to merge as they go).
     */
    static List<Finding> mergeSameProblem(List<Finding> findings) {
        Findings merged = new Findings();
        findings.forEach(merged::add);
        return new ArrayList<>(merged);
    }

    /** Dumps a finding keeps the evidence of: the first ones and the last; the rest are counted, not listed (see {@link Findings}). */
    public static final int MAX_EVIDENCE_DUMPS = 6;

    public List<Rule> rules() {
        return rules;
    }

    /**
     * The findings, most severe first; how many a baseline suppressed; and per JVM the rules that
     * could not tell and why.
     */
    public record Outcome(List<Finding> findings, List<Finding> suppressed, Map<String, Map<String, String>> notApplicable) {
    }

    public Outcome run(List<JvmHistory> jvms, Set<String> enabled) {
        return run(jvms, enabled, RuleSettings.defaults(), Baseline.none());
    }

    public Outcome run(List<JvmHistory> jvms, Set<String> enabled, RuleSettings settings, Baseline baseline) {
        List<Finding> found = new ArrayList<>();
        Map<String, Map<String, String>> notApplicable = new LinkedHashMap<>();
        for (JvmHistory jvm : jvms) {
            RuleContext shared = new RuleContext(jvm);
            for (Rule rule : rules) {
                String id = rule.info().id();
                if (!enabled.contains(id) || !settings.enabled(id)) {
                    continue;
                }
                RuleResult result = rule.check(shared.forRule(rule.info(), settings));
                if (result instanceof RuleResult.Findings f) {
                    // merged rule by rule, so that a long log's findings never pile up across rules
                    for (Finding finding : mergeSameProblem(f.findings())) {
                        found.add(settings.severity(id).map(finding::withSeverity).orElse(finding));
                    }
                } else if (result instanceof RuleResult.NotApplicable na) {
                    notApplicable.computeIfAbsent(jvm.id(), k -> new LinkedHashMap<>()).put(id, na.reason());
                }
            }
        }
        List<Finding> findings = new ArrayList<>();
        List<Finding> suppressed = new ArrayList<>();
        for (Finding f : mergeSameProblem(found)) {
            (baseline.contains(f) ? suppressed : findings).add(f);
        }
        findings.sort(Comparator.comparing(Finding::severity).reversed()
                .thenComparing(Finding::jvm).thenComparing(Finding::rule).thenComparing(Finding::title));
        return new Outcome(findings, suppressed, notApplicable);
    }
}
