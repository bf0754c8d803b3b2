package io.lockscope.rules;

import static io.lockscope.rules.RuleTestSupport.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.Dumps;
import io.lockscope.analyzer.EachSampleJdk;
import io.lockscope.engine.Evidence;
import io.lockscope.engine.Finding;
import io.lockscope.engine.RuleSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContentionHotspotTest {

    @EachSampleJdk
    void positive_twelveHandlersOnOneMonitor(String jdk) {
        Finding f = only(Dumps.findings("contention-hotspot", Dumps.sample(jdk + "/contention.txt")));
        assertTrue(f.title().startsWith("12 threads wait for Scenario$SessionTable"), f.title());
        assertTrue(f.title().contains("held by session-sweeper"), f.title());
        assertEquals(13, f.threads().size());
        Evidence owner = f.evidence().stream().filter(e -> e.kind() == Evidence.Kind.HOLDS).findFirst().orElseThrow();
        assertTrue(owner.stack().get(0).startsWith("at Scenario.lambda$contention$"), "with the owner's stack: " + owner.stack());
    }

    @Test
    void positive_textAndJsonOfOneMomentAreOneFinding() {
        Finding f = only(Dumps.findings("contention-hotspot", Dumps.sample("jdk25/contention.txt"), Dumps.sample("jdk25/contention.json")));
        assertTrue(f.title().endsWith("(in 2 dumps)"), f.title());
    }

    @Test
    void negative_belowTheThresholdFromTheConfig() {
        var settings = RuleSettings.defaults().threshold("contention-hotspot", "min-waiters", 13);
        assertTrue(Dumps.findings("contention-hotspot", settings, Dumps.sample("jdk17/contention.txt")).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk17/sleep-holding-1.txt", "jdk17/healthy-busy.txt", "jdk25/healthy-busy.txt",
        "jdk17/dead-owner.txt"})
    void negative_fewerWaitersThanTheThreshold(String sample) {
        assertTrue(Dumps.findings("contention-hotspot", Dumps.sample(sample)).isEmpty());
    }

    @Test
    void positive_corpusDumpWithThirtyThreadsOnOneMonitor() {
        Finding top = Dumps.findings("contention-hotspot", Dumps.corpus("jstack/tda-jdk6u3-heritrix-monitor-contention.txt")).get(0);
        assertTrue(top.title().startsWith("30 threads wait for FrontierScheduler"), top.title());
    }
}
