package io.lockscope.rules;

import static io.lockscope.rules.RuleTestSupport.cannotTell;
import static io.lockscope.rules.RuleTestSupport.onlyFinding;
import static io.lockscope.rules.RuleTestSupport.only;
import static io.lockscope.rules.RuleTestSupport.threads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.Dumps;
import io.lockscope.engine.Evidence;
import io.lockscope.engine.Finding;
import io.lockscope.engine.Severity;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pinned virtual threads seen in thread dumps ({@code Scenario pinned-carriers} on JDK 25: two
 * carriers, both held by virtual threads blocked in a class initializer, four more waiting to
 * run). What recordings show is tested in RecordingFindingsTest.
 */
class VirtualThreadPinningTest {

    private static final Path TEXT = Dumps.sample("jdk25/pinned-carriers.txt");
    private static final Path JSON = Dumps.sample("jdk25/pinned-carriers.json");

    @Test
    void positive_everyCarrierHeldByAPinnedVirtualThread() {
        Finding f = onlyFinding("virtual-thread-pinning", Severity.ERROR, Set.of("rate-loader-0", "rate-loader-1", "request-0", "request-1", "request-2", "request-3"), TEXT, JSON);
        assertEquals("2 virtual threads pinned to their carriers while they wait; they hold every carrier (2) of "
                + "ForkJoinPool-1, and 4 virtual threads wait to run: Scenario$RateCard.<clinit>", f.title());
        // jstack calls them #22 and #24; the JSON dump of the same JVM names them
        List<String> seen = f.evidence().stream().filter(e -> e.kind() == Evidence.Kind.SEEN).map(Evidence::describe).toList();
        assertEquals(List.of(
                "\"rate-loader-0\" is sleeping in Scenario.sleep(Scenario.java:66), still mounted on its carrier ForkJoinPool-1-worker-1",
                "\"rate-loader-1\" is waiting for Scenario$RateCard to be initialized in "
                        + f.evidence().get(1).frame().orElseThrow() + ", still mounted on its carrier ForkJoinPool-1-worker-2"), seen);
        assertTrue(f.evidence().get(0).stack().contains("at Scenario$RateCard.<clinit>(Scenario.java:699)"), f.evidence().get(0).stack().toString());
        assertTrue(f.detail().contains("no other virtual thread can run"), f.detail());
    }

    @Test
    void positive_theJsonDumpAloneShowsTheOneParkedOnItsCarrier() {
        // the JSON dump prints the thread waiting for the class's initialization as RUNNABLE with one frame:
        // only the sleeper is seen pinned, so the carriers are not all known to be held
        Finding f = onlyFinding("virtual-thread-pinning", Severity.WARNING, Set.of("rate-loader-0"), JSON);
        assertEquals("1 virtual thread pinned to its carrier while it waits: Scenario$RateCard.<clinit>", f.title());
        // the same place as from the text dump: one fingerprint, so a baseline holds for either
        assertEquals(only(Dumps.findings("virtual-thread-pinning", TEXT)).fingerprint(), f.fingerprint());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk25/pinned-virtual.json", "jdk25/healthy-busy.json", "jdk25/monitor-deadlock.json"})
    void negative_noVirtualThreadMountedWhileItWaits(String sample) {
        assertTrue(Dumps.findings("virtual-thread-pinning", Dumps.sample(sample)).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jstack/jthreaddump-jdk25-many-virtual-threads-mounted.txt", "jstack/jthreaddump-jdk25-virtual-thread-deadlock-invisible.txt",
        "jcmd-json/loominated-jdk24loom-vt-executors-multi.json", "jcmd-json/loominated-jdk22-vt-threads.json"})
    void negative_corpusDumpsWithVirtualThreadsThatRunOrUnmount(String file) {
        assertTrue(Dumps.findings("virtual-thread-pinning", Dumps.corpus(file)).isEmpty());
    }

    @Test
    void negative_aDumpWithoutVirtualThreadsCannotTell() {
        cannotTell("virtual-thread-pinning", "Thread.dump_to_file -format=json", Dumps.sample("jdk17/healthy-busy.txt"));
    }
}
