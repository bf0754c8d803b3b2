package io.lockscope.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.Dumps;
import io.lockscope.engine.Finding;
import io.lockscope.engine.Severity;
import io.lockscope.graph.LockGraph;
import io.lockscope.model.JvmThread;
import io.lockscope.model.Snapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every rule at once, on dumps of JVMs that were idle or healthy: nothing at warning or above. */
class QuietDumpsTest {

    private static void assertQuiet(Path... files) {
        io.lockscope.analyzer.Analysis.Result r = Dumps.analyze(files);
        // quiet about something: every file gave dumps, so no rule is silent for want of input
        for (io.lockscope.analyzer.input.InputReport in : r.inputs()) {
            assertTrue(in.snapshots() > 0, () -> "no dump read from " + in.path() + ": " + in.message());
        }
        List<Finding> loud = r.outcome().findings().stream()
                .filter(f -> f.severity().atLeast(Severity.WARNING)).toList();
        assertTrue(loud.isEmpty(), () -> "expected no warnings: " + loud.stream().map(f -> f.rule() + ": " + f.title()).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "jstack/samurai-openjdk17-idle-3dumps.txt", "jstack/jstall-jdk26ea-jcmd-idle.txt",
        "jstack/samurai-liberica11-highcpu-3dumps.txt", "jstack/tda-jdk11.0.6-tomcat-jstack-l.txt",
        "jstack/tda-jdk21.0.9-macos-jstack-l.txt", "jstack/tdv-jdk21.0.2-macos-jstack-l.txt",
        "jstack/tdv-jdk17.0.9-macos-headerless-jstack-l.txt", "jstack/tdv-jdk17.0.10-jmx-threadinfo-format.txt",
        "jstack/binaryfoo-applejdk6-jstack.txt", "jstack/binaryfoo-jdk8u60-jstack-sbt.txt", "jstack/binaryfoo-jdk8u72-jstack.txt",
        "jstack/binaryfoo-jetbrainsjdk8u76-intellij.txt", "jstack/jifa-jdk18-internal-jstack.txt",
        "jstack/tda-jdk8u91-swing-app.txt", "jstack/tda-jdk5-64bit-small.txt", "jstack/tda-jdk5-with-class-histogram.txt",
        "jstack/tda-jdk5-hpux-ia64-2dumps-1148threads.txt", "jstack/jthreaddump-jdk25-producer-consumer.txt",
        "logs/samurai-wls81sp1-macos-applejdk1.4.2-console-log-3dumps.txt",
        "jcmd-json/tda-jdk21.0.10-intellij-jps.json", "jcmd-json/loominated-jdk22-vt-threads.json",
        "jcmd-json/loominated-jdk24loom-vt-executors-multi.json"})
    void negative_idleAndHealthyCorpusDumps(String file) {
        assertQuiet(Dumps.corpus(file));
    }

    @org.junit.jupiter.api.Test
    void negative_aSeriesOfBusyDumpsOfOneJvm() {
        assertQuiet(Dumps.corpus("jstack/jstall-jdk26ea-jcmd-busywork-series-0.txt"),
                Dumps.corpus("jstack/jstall-jdk26ea-jcmd-busywork-series-1.txt"),
                Dumps.corpus("jstack/jstall-jdk26ea-jcmd-busywork-series-2.txt"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk17/healthy-busy.txt", "jdk25/healthy-busy.txt", "jdk25/healthy-busy.json",
        // a pool whose threads end and start all the time; the one in hundreds of dumps that caught its fair lock in a
        // hand-off with a young job already past it says info, not more
        "jdk17/pool-churn.txt", "jdk25/pool-churn.txt", "jdk25/pool-churn.json", "jdk17/pool-churn.passed.txt"})
    void negative_ourHealthyBusyApplication(String sample) {
        assertQuiet(Dumps.sample(sample));
    }

    /**
     * One of 43 dumps of the healthy application caught order-worker-4 leaving its park for the
     * queue's put lock: Thread.State still says WAITING (parking), the header says its OS thread is
     * runnable, and nobody holds the lock, which was just released to it. It waits for nothing: no
     * orphaned lock, yet the parking line stays on its stack.
     */
    @org.junit.jupiter.api.Test
    void negative_aThreadCaughtLeavingItsParkForAFreeLock() {
        Path dump = Dumps.sample("jdk25/healthy-busy.unparked.txt");
        Snapshot s = Dumps.readOne(dump);
        JvmThread worker = Dumps.thread(s, "order-worker-4");
        assertTrue(worker.unparked(), worker.stateDetail());
        assertTrue(Dumps.lockActions(worker).stream().anyMatch(a -> a.contains("PARKING") && a.contains("0x00000000fef27760")),
                () -> Dumps.lockActions(worker).toString());
        LockGraph g = LockGraph.of(s);
        assertTrue(g.waitsOf(worker.index()).isEmpty(), () -> g.waitsOf(worker.index()).toString());
        assertTrue(g.holdersOf("0x00000000fef27760").isEmpty(), "the lock was free as the dump was taken");
        // a thread parked for good ("waiting on condition") is read as the dump says; the consumer, just
        // signalled that the queue has an element, is on its way out of its park too
        assertEquals("(parking)", Dumps.thread(s, "idle-pool-1").stateDetail());
        assertTrue(Dumps.thread(s, "order-consumer").unparked());
        assertQuiet(dump);
    }

    /** The same dump with the header's state word cut off: what is left says parked, and the free lock is orphaned. */
    @org.junit.jupiter.api.Test
    void aDamagedHeaderFallsBackToTheThreadState(@org.junit.jupiter.api.io.TempDir Path dir) throws java.io.IOException {
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(Dumps.sample("jdk25/healthy-busy.unparked.txt")));
        int header = Dumps.lineStartingWith(lines, "\"order-worker-4\"");
        lines.set(header, lines.get(header).substring(0, lines.get(header).indexOf(" runnable")));
        Path cut = Files.write(dir.resolve("cut.txt"), lines);
        JvmThread worker = Dumps.thread(Dumps.readOne(cut), "order-worker-4");
        assertEquals("(parking)", worker.stateDetail());
        List<Finding> orphans = Dumps.findings("orphaned-lock", cut);
        assertEquals(1, orphans.size(), () -> orphans.toString());
        assertEquals(List.of("order-worker-4"), orphans.get(0).threads());
    }
}
