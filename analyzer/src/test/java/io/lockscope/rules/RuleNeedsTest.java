package io.lockscope.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.Analysis;
import io.lockscope.analyzer.Dumps;
import io.lockscope.engine.Baseline;
import io.lockscope.engine.Input;
import io.lockscope.engine.Rule;
import io.lockscope.engine.RuleContext;
import io.lockscope.engine.RuleMeta;
import io.lockscope.engine.RuleResult;
import io.lockscope.engine.RuleSettings;
import io.lockscope.engine.Severity;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A rule's {@code needs} decide where it runs: the engine leaves a rule out of a JVM that shows
 * none of them, and says why in the words of those needs.
 */
class RuleNeedsTest {

    @RuleMeta(id = "counts-its-runs", summary = "Counts the JVMs it is run on", severity = Severity.INFO,
            needs = {Input.RECORDING, Input.VIRTUAL_THREADS})
    static final class CountsItsRuns implements Rule {
        final AtomicInteger runs = new AtomicInteger();

        @Override
        public RuleResult check(RuleContext context) {
            runs.incrementAndGet();
            return RuleResult.of(List.of());
        }
    }

    private static Map<String, String> notApplicable(Analysis.Result r) {
        assertEquals(1, r.jvms().size(), "one JVM");
        return r.outcome().notApplicable().getOrDefault(r.jvms().get(0).id(), Map.of());
    }

    private static Analysis.Result run(Rule rule, Path dump) {
        return new Analysis(List.of(rule), Set.of(rule.info().id()), RuleSettings.defaults(), Baseline.none())
                .run(List.of(dump), Analysis.Progress.NONE);
    }

    @Test
    void aRuleIsNotRunOnAJvmThatShowsNoneOfItsNeeds() {
        CountsItsRuns rule = new CountsItsRuns();
        Map<String, String> na = notApplicable(run(rule, Dumps.sample("jdk17/healthy-busy.txt")));
        assertEquals(0, rule.runs.get(), "a JDK 17 jstack dump has no virtual threads and is no recording");
        assertEquals("needs a JFR recording (jcmd <pid> JFR.start, then JFR.dump), or a thread dump of JDK 21 or later "
                + "that shows virtual threads: jcmd <pid> Thread.dump_to_file -format=json lists them all, jstack those mounted",
                na.get("counts-its-runs"));
    }

    @Test
    void anyOneOfItsNeedsIsEnough() {
        CountsItsRuns rule = new CountsItsRuns();
        assertTrue(notApplicable(run(rule, Dumps.sample("jdk25/hot-monitor.jfr"))).isEmpty());
        assertEquals(1, rule.runs.get(), "a recording, without virtual threads");
        // jcmd's JSON dump of a JVM that pins virtual threads: no recording
        assertTrue(notApplicable(run(rule, Dumps.sample("jdk25/pinned-carriers.json"))).isEmpty());
        assertEquals(2, rule.runs.get(), "virtual threads, without a recording");
    }

    @Test
    void aHeapDumpShowsNoMonitorOwnersSoLockOrderInversionSaysSo() {
        Map<String, String> na = notApplicable(Dumps.analyze(Dumps.sample("jdk17/dead-owner.hprof.gz")));
        assertEquals("needs a thread dump that shows monitor owners (\"- locked <0x...>\"), or a JFR recording "
                + "(jcmd <pid> JFR.start, then JFR.dump)", na.get("lock-order-inversion"));
        // what a heap dump does show: the owners of java.util.concurrent locks
        assertFalse(na.containsKey("orphaned-lock"), na.toString());
        assertFalse(na.containsKey("leaked-lock"), na.toString());
    }

    @Test
    void aJsonDumpListsNoOwnableSynchronizers() {
        Map<String, String> na = notApplicable(Dumps.analyze(Dumps.sample("jdk25/dead-owner.json")));
        for (String rule : List.of("orphaned-lock", "leaked-lock")) {
            assertEquals("needs a thread dump taken with -l (Locked ownable synchronizers), or a heap dump, or a JFR "
                    + "recording (jcmd <pid> JFR.start, then JFR.dump)", na.get(rule), rule);
        }
        assertEquals("needs several dumps of the same JVM taken some seconds apart; this JVM has 1 dump that shows "
                + "lock owners", na.get("stuck-owner"));
        // its monitors' owners are there: the rules on them run
        for (String rule : List.of("deadlock", "blocking-while-holding", "ownership-mismatch", "lock-order-inversion",
                "contention-hotspot")) {
            assertFalse(na.containsKey(rule), rule + ": " + na);
        }
    }

    @Test
    void aRecordingServesEveryRule() {
        // with the thread dumps JFR takes of its own (jdk.ThreadDump), which show owners over time
        Map<String, String> na = notApplicable(Dumps.analyze(Dumps.sample("jdk25/dead-owner.jfr")));
        assertTrue(na.isEmpty(), na.toString());
    }
}
