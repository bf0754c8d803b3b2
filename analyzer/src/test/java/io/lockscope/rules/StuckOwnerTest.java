package io.lockscope.rules;

import static io.lockscope.rules.RuleTestSupport.cannotTell;
import static io.lockscope.rules.RuleTestSupport.only;
import static io.lockscope.rules.RuleTestSupport.threads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.Dumps;
import io.lockscope.analyzer.EachSampleJdk;
import io.lockscope.engine.Finding;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StuckOwnerTest {

    @Test
    void positive_sameOwnerSameStackInThreeDumpsJdk17() {
        Finding f = only(Dumps.findings("stuck-owner", Dumps.sample("jdk17/sleep-holding-1.txt"),
                Dumps.sample("jdk17/sleep-holding-2.txt"), Dumps.sample("jdk17/sleep-holding-3.txt")));
        assertTrue(f.title().startsWith("report-generator held Scenario$ReportCache"), f.title());
        assertTrue(f.title().matches(".* for [4-9] s or more across 3 dumps without moving \\(0\\.0 ms of CPU in between\\);.*"),
                f.title());
        assertEquals(Set.of("report-generator", "request-1", "request-2", "request-3"), threads(f));
        // asleep under the lock: its cpu= stays the same from dump to dump
        assertEquals(java.util.Optional.of(0L), ((StuckOwner.Stuck) f.problem()).cpuMicros());
        assertTrue(f.detail().contains("next to none") && f.detail().contains("asleep under the lock"), f.detail());
    }

    @EachSampleJdk
    void positive_anOwnerThatComputesUnderTheLockIsBusyNotAsleep(String jdk) {
        // busy-holder: index-rebuilder loops inside synchronized (priceIndex) on one line; its stack is the same in each
        // dump, as a sleeping holder's is, but its CPU time grows by about as much as the time between the dumps
        Finding f = only(Dumps.findings("stuck-owner", Dumps.sample(jdk + "/busy-holder-1.txt"), Dumps.sample(jdk + "/busy-holder-2.txt"),
                Dumps.sample(jdk + "/busy-holder-3.txt")));
        assertEquals(Set.of("index-rebuilder", "quote-1", "quote-2"), threads(f));
        assertEquals("Scenario$PriceIndex", f.locks().get(0).className());
        StuckOwner.Stuck stuck = (StuckOwner.Stuck) f.problem();
        assertTrue(stuck.busy(), f.title());
        long cpu = stuck.cpuMicros().orElseThrow() / 1000;
        long wall = stuck.seconds().orElseThrow();
        assertTrue(cpu >= 1000 && cpu <= (wall + 2) * 1000, cpu + " ms of CPU in " + wall + " s");
        assertTrue(f.title().contains("busy on the same line (" + cpu + " ms of CPU in between)"), f.title());
        assertTrue(f.detail().contains("running under the lock"), f.detail());
    }

    @Test
    void positive_textAndJsonDumpsOfOneJvmJdk25() {
        Finding f = only(Dumps.findings("stuck-owner", Dumps.sample("jdk25/sleep-holding-1.txt"), Dumps.sample("jdk25/sleep-holding.json"),
                Dumps.sample("jdk25/sleep-holding-2.txt"), Dumps.sample("jdk25/sleep-holding-3.txt")));
        assertTrue(f.title().contains("across 4 dumps"), f.title());
    }

    @Test
    void negative_oneDumpIsNotAHistory() {
        cannotTell("stuck-owner", "several dumps", Dumps.sample("jdk17/sleep-holding-1.txt"));
    }

    @Test
    void negative_deadlockedThreadsAreTheDeadlockRulesBusiness() {
        assertTrue(Dumps.findings("stuck-owner", Dumps.corpus("jstack/samurai-jdk11.0.12-monitor-deadlock-3dumps.txt")).isEmpty());
        assertEquals(1, Dumps.findings("deadlock", Dumps.corpus("jstack/samurai-jdk11.0.12-monitor-deadlock-3dumps.txt")).size());
    }

    @Test
    void negative_busyThreadsThatMoveBetweenDumps() {
        assertTrue(Dumps.findings("stuck-owner", Dumps.corpus("jstack/jstall-jdk26ea-jcmd-busywork-series-0.txt"),
                Dumps.corpus("jstack/jstall-jdk26ea-jcmd-busywork-series-1.txt"),
                Dumps.corpus("jstack/jstall-jdk26ea-jcmd-busywork-series-2.txt")).isEmpty());
        assertTrue(Dumps.findings("stuck-owner", Dumps.corpus("jstack/samurai-liberica11-highcpu-3dumps.txt")).isEmpty());
    }

    @EachSampleJdk
    void negative_theAgentsDumpBesideJcmdsOfTheSameSecondIsNoHistory(String jdk) {
        // the sweeper holds the table in both dumps, with the same stack and twelve waiters; the agent's
        // dump carries no time, so the two say nothing about how long it was held
        var twoDumps = io.lockscope.engine.RuleSettings.defaults().threshold("stuck-owner", "min-dumps", 2);
        for (var order : java.util.List.of(
                java.util.List.of(jdk + "/contention.jhsdb.txt", jdk + "/contention.txt"),
                java.util.List.of(jdk + "/contention.txt", jdk + "/contention.jhsdb.txt"))) {
            assertTrue(Dumps.findings("stuck-owner", twoDumps, order.stream().map(Dumps::sample).toArray(java.nio.file.Path[]::new))
                    .isEmpty(), order.toString());
        }
    }
}
