package io.lockscope.rules;

import static io.lockscope.rules.RuleTestSupport.cannotTell;
import static io.lockscope.rules.RuleTestSupport.onlyFinding;
import static io.lockscope.rules.RuleTestSupport.only;
import static io.lockscope.rules.RuleTestSupport.threads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.Dumps;
import io.lockscope.analyzer.EachSampleJdk;
import io.lockscope.engine.Finding;
import io.lockscope.engine.Severity;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a JFR recording shows: from the recording alone, and with the thread dumps of the same JVM. */
class RecordingFindingsTest {

    @EachSampleJdk
    void positive_likelyDeadOwnerFromTheRecordingAlone(String jdk) {
        Finding f = only(Dumps.findings("orphaned-lock", Dumps.sample(jdk + "/dead-owner.jfr")));
        assertEquals(Severity.WARNING, f.severity(), "an inference, worded as one");
        assertTrue(f.title().contains("likely held by dead thread ingest-worker-1, which ended after IllegalStateException"), f.title());
        assertTrue(f.detail().contains("not a certain one"), f.detail());
        assertEquals(Set.of("ingest-worker-1", "batch-writer-1", "batch-writer-2", "batch-writer-3"), threads(f));
    }

    @EachSampleJdk
    void positive_certainOrphanWithTheThreadDumpNamesTheLikelyOwner(String jdk) {
        Finding f = only(Dumps.findings("orphaned-lock", Dumps.sample(jdk + "/dead-owner.jfr"), Dumps.sample(jdk + "/dead-owner.txt")));
        assertEquals(Severity.ERROR, f.severity());
        assertTrue(f.title().contains("likely held by dead thread ingest-worker-1"), f.title());
    }

    @EachSampleJdk
    void positive_unlockByANonOwner(String jdk) {
        Finding f = only(Dumps.findings("ownership-mismatch", Dumps.sample(jdk + "/swapped-field.jfr")));
        assertEquals(Severity.ERROR, f.severity());
        assertTrue(f.title().startsWith("account-pool-1 unlocked a lock it does not hold: IllegalMonitorStateException at Scenario$Account.rebalance("),
                f.title());
        Finding tied = Dumps.findings("ownership-mismatch", Dumps.sample(jdk + "/swapped-field.jfr"), Dumps.sample(jdk + "/swapped-field.txt"))
                .stream().filter(x -> x.title().contains("IllegalMonitorStateException")).findFirst().orElseThrow();
        assertTrue(tied.detail().contains("statement-1, statement-2 wait for"), tied.detail());
        assertTrue(tied.threads().containsAll(Set.of("account-pool-1", "statement-1", "statement-2")));
    }

    @EachSampleJdk
    void positive_contendedMonitorAddsUpOverTheRecording(String jdk) {
        Finding f = only(Dumps.findings("contention-hotspot", Dumps.sample(jdk + "/hot-monitor.jfr")));
        assertTrue(f.title().startsWith("Threads blocked entering Scenario$PriceTable"), f.title());
        assertTrue(f.title().matches(".* for \\d+\\.\\d s in all .*"), f.title());
        assertTrue(f.threads().stream().allMatch(t -> t.startsWith("quote-worker-")), f.threads().toString());
    }

    @EachSampleJdk
    void positive_deadlockInTheRecordingsThreadDump(String jdk) {
        Finding f = only(Dumps.findings("deadlock", Dumps.sample(jdk + "/monitor-deadlock.jfr")));
        assertEquals(Set.of("stocker", "auditor", "closer"), threads(f));
    }

    @EachSampleJdk
    void positive_lockOrderInversionFromTheRecordingsStacks(String jdk) {
        // two phases that never overlap: no deadlock, no thread dump shows the orders; the recorded waits do
        Finding f = onlyFinding("lock-order-inversion", Severity.WARNING, Set.of("order-reserve", "accounts-audit"), Dumps.sample(jdk + "/opposite-order.jfr"));
        assertEquals(Set.of("Scenario$Stock", "Scenario$Accounts"),
                Set.copyOf(f.locks().stream().map(io.lockscope.model.LockRef::className).toList()));
        String evidence = f.evidence().stream().map(io.lockscope.engine.Evidence::describe).toList().toString();
        assertTrue(evidence.contains("\"order-reserve\" waited") && evidence.contains("in Scenario$Accounts.record(Scenario.java:")
                && evidence.contains("while in the synchronized method Scenario$Stock.reserve(Scenario.java:"), evidence);
        assertTrue(evidence.contains("\"accounts-audit\" waited") && evidence.contains("in Scenario$Stock.count(Scenario.java:")
                && evidence.contains("while in the synchronized method Scenario$Accounts.audit(Scenario.java:"), evidence);
        assertTrue(f.detail().contains("by its class only"), f.detail());
        // the thread dump taken after both phases shows neither order; with it, the finding is the recording's
        assertTrue(Dumps.findings("lock-order-inversion", Dumps.sample(jdk + "/opposite-order.txt")).isEmpty());
        assertEquals(f.title(), only(Dumps.findings("lock-order-inversion", Dumps.sample(jdk + "/opposite-order.jfr"),
                Dumps.sample(jdk + "/opposite-order.txt"))).title());
    }

    @EachSampleJdk
    void negative_oneOrderOnlyIsNoInversion(String jdk) {
        // twelve threads wait on one monitor in a lambda, and the dead owner's waiters hold nothing: no order to compare
        for (String scenario : new String[] {"hot-monitor", "dead-owner", "swapped-field"}) {
            assertTrue(Dumps.findings("lock-order-inversion", Dumps.sample(jdk + "/" + scenario + ".jfr")).isEmpty(), scenario);
        }
    }

    @Test
    void positive_pinnedVirtualThreadsJdk25() {
        Finding f = only(Dumps.findings("virtual-thread-pinning", Dumps.sample("jdk25/pinned-virtual.jfr")));
        assertTrue(f.title().startsWith("Virtual threads pinned their carriers 4 times"), f.title());
        assertTrue(f.title().contains("<clinit>"), f.title());
        assertEquals(4, f.evidence().size(), "each pinning site");
    }

    @Test
    void negative_recordingsWithoutLockTrouble() {
        for (String file : new String[] {"jfr/jifa-jdk21.0.1-allocation-sample.jfr", "jfr/jmc-jdk8u292-openjdk-backport.jfr",
            "jfr/jifa-asyncprofiler-cpu-jdk8u372.jfr"}) {
            var r = Dumps.analyze(Dumps.corpus(file));
            assertTrue(r.outcome().findings().stream().noneMatch(f -> f.severity().atLeast(Severity.WARNING)),
                    () -> file + ": " + r.outcome().findings().stream().map(Finding::title).toList());
        }
    }

    @Test
    void negative_noRecordingNoPinningClaim() {
        cannotTell("virtual-thread-pinning", "JFR recording", Dumps.sample("jdk25/monitor-deadlock.txt"));
    }
}
