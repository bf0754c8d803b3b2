package io.lockscope.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lockscope.engine.Evidence;
import io.lockscope.engine.Finding;
import java.util.List;
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

    static Set<String> threads(Finding f) {
        return Set.copyOf(f.threads());
    }

    static Set<String> evidenceThreads(Finding f, Evidence.Kind kind) {
        return f.evidence().stream().filter(e -> e.kind() == kind).map(e -> e.thread().orElseThrow()).collect(Collectors.toSet());
    }
}
