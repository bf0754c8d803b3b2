package io.lockscope.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.Analysis;
import io.lockscope.analyzer.Dumps;
import io.lockscope.engine.Evidence;
import io.lockscope.engine.Finding;
import io.lockscope.engine.Severity;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Small assertions the rule tests share. */
final class RuleTestSupport {

    private RuleTestSupport() {
    }

    static Finding only(List<Finding> findings) {
        assertEquals(1, findings.size(), () -> "findings: " + findings.stream().map(Finding::title).toList());
        return findings.get(0);
    }

    /**
     * The one finding a rule makes on these inputs, which must have this severity and name exactly
     * these threads: what a user checks first.
     */
    static Finding onlyFinding(String rule, Severity severity, Set<String> threads, Path... inputs) {
        Finding f = only(Dumps.findings(rule, inputs));
        assertEquals(severity, f.severity(), f.title());
        assertEquals(threads, threads(f), f.title());
        return f;
    }

    /**
     * A rule that cannot tell anything from these inputs: it finds nothing, and says why with words
     * that name what it needs (for the first JVM the inputs make).
     */
    static void cannotTell(String rule, String needed, Path... inputs) {
        Analysis.Result r = Dumps.analyze(inputs);
        assertTrue(r.outcome().findings().stream().noneMatch(f -> f.rule().equals(rule)), rule);
        String reason = r.outcome().notApplicable().getOrDefault(r.jvms().get(0).id(), Map.of()).get(rule);
        assertTrue(reason != null && reason.contains(needed), rule + ": " + reason);
    }

    static Set<String> threads(Finding f) {
        return Set.copyOf(f.threads());
    }

    static Set<String> evidenceThreads(Finding f, Evidence.Kind kind) {
        return f.evidence().stream().filter(e -> e.kind() == kind).map(e -> e.thread().orElseThrow()).collect(Collectors.toSet());
    }
}
