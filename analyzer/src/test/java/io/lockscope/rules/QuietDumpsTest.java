package io.lockscope.rules;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.Dumps;
import io.lockscope.engine.Finding;
import io.lockscope.engine.Severity;
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
    @ValueSource(strings = {"jdk17/healthy-busy.txt", "jdk25/healthy-busy.txt", "jdk25/healthy-busy.json"})
    void negative_ourHealthyBusyApplication(String sample) {
        assertQuiet(Dumps.sample(sample));
    }
}
