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
     * one, keeping the first one's words and all the threads, locks and evidence.
     */
    static List<Finding> mergeSameProblem(List<Finding> findings) {
        Map<String, Finding> merged = new LinkedHashMap<>();
        for (Finding f : findings) {
            merged.merge(f.jvm() + "|" + f.rule() + "|" + f.fingerprint(), f, (a, b) -> {
                List<String> threads = new ArrayList<>(a.threads());
                b.threads().stream().filter(t -> !threads.contains(t)).forEach(threads::add);
                Map<String, io.lockscope.model.LockRef> locks = new LinkedHashMap<>();
                a.locks().forEach(l -> locks.putIfAbsent(l.id(), l));
                b.locks().forEach(l -> locks.putIfAbsent(l.id(), l));
                List<Evidence> evidence = new ArrayList<>(a.evidence());
                evidence.addAll(b.evidence());
                String title = a.title().replaceFirst(" \\(and \\d+ more like it\\)$", "");
                int more = a.title().matches(".* \\(and \\d+ more like it\\)$")
                        ? Integer.parseInt(a.title().replaceFirst(".* \\(and (\\d+) more like it\\)$", "$1")) + 1 : 1;
                return new Finding(a.rule(), a.severity().atLeast(b.severity()) ? a.severity() : b.severity(),
                        title + " (and " + more + " more like it)", a.jvm(), threads, List.copyOf(locks.values()), evidence,
                        a.detail(), a.hint(), a.fingerprint());
            });
        }
        return new ArrayList<>(merged.values());
    }

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
                RuleResult result = rule.check(shared.forRule(id, settings));
                if (result instanceof RuleResult.Findings f) {
                    for (Finding finding : f.findings()) {
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
