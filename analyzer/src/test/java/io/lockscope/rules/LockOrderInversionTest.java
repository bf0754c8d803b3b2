package io.lockscope.rules;

import static io.lockscope.rules.RuleTestSupport.only;
import static io.lockscope.rules.RuleTestSupport.threads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.Dumps;
import io.lockscope.analyzer.EachSampleJdk;
import io.lockscope.engine.Evidence;
import io.lockscope.engine.Finding;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LockOrderInversionTest {

    @EachSampleJdk
    void positive_oppositeNestingOrdersInTwoDumpsSecondsApart(String jdk) {
        Finding f = only(Dumps.findings("lock-order-inversion", Dumps.sample(jdk + "/lock-order-1.txt"),
                Dumps.sample(jdk + "/lock-order-2.txt")));
        assertEquals(Set.of("transfer-debit", "transfer-credit"), threads(f));
        assertEquals(Set.of("Scenario$Ledger", "Scenario$Journal"),
                f.locks().stream().map(l -> l.className()).collect(Collectors.toSet()));
        assertTrue(f.title().contains("transfer-debit takes Scenario$Ledger then Scenario$Journal"), f.title());
        assertTrue(f.title().contains("transfer-credit takes Scenario$Journal then Scenario$Ledger"), f.title());
        // both orders, each with the frame that took each lock, from its own dump
        assertEquals(4, f.evidence().size());
        assertEquals(2, f.evidence().stream().map(Evidence::snapshot).distinct().count());
        assertTrue(f.evidence().stream().allMatch(e -> e.frame().orElseThrow().startsWith("Scenario.lambda$lockOrder$")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk17/lock-order-1.txt", "jdk17/lock-order-2.txt", "jdk25/lock-order-1.txt",
        "jdk17/monitor-deadlock.txt", "jdk17/healthy-busy.txt", "jdk25/healthy-busy.txt"})
    void negative_oneOrderOnlyOrAlreadyADeadlock(String sample) {
        assertTrue(Dumps.findings("lock-order-inversion", Dumps.sample(sample)).isEmpty());
    }
}
