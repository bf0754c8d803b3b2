package io.lockscope.analyzer.jfr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.Dumps;
import io.lockscope.analyzer.input.InputFormat;
import io.lockscope.analyzer.input.InputReport;
import io.lockscope.analyzer.input.InputStatus;
import io.lockscope.model.Recording;
import io.lockscope.model.Snapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every recording in the corpus is read, and each has counts checked: those `jfr summary` prints
 * (or JMC's, for legacy files, which `jfr` does not read).
 */
class JfrReaderTest {

    static Stream<Path> recordings() {
        return Dumps.corpusFiles("jfr").stream();
    }

    private static JfrReader.Result read(Path p, List<Snapshot> dumps) throws IOException {
        return JfrReader.read(p, p.getFileName().toString(), p.toString().endsWith(".gz"), dumps::add);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recordings")
    void everyCorpusRecordingIsRead(Path file) {
        InputReport r = Dumps.report(file);
        assertEquals(InputFormat.JFR, r.format(), r.message());
        assertTrue(r.status() == InputStatus.READ || r.status() == InputStatus.PARTIAL, r.message());
        assertTrue(r.message().startsWith("JFR ") || r.message().startsWith("gzip-compressed JFR "), r.message());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        // file, event type, count as `jfr summary FILE` prints it
        "grafana-jdk17.0.2-park-monitorwait-threaddump.jfr, jdk.JavaMonitorWait, 253",
        "grafana-jdk17.0.2-park-monitorwait-threaddump.jfr, jdk.ThreadPark, 75",
        "grafana-jdk17.0.2-park-monitorwait-threaddump.jfr, jdk.ThreadDump, 2",
        "jmc-jdk11.0.1-javafx-monitor-wait-park.jfr, jdk.JavaMonitorWait, 2853",
        "jmc-jdk11.0.1-javafx-monitor-wait-park.jfr, jdk.JavaErrorThrow, 58",
        "jmc-jdk11.0.1-javafx-monitor-wait-park.jfr, jdk.ThreadStart, 22",
        "jmc-jdk11.0.1-javafx-monitor-wait-park.jfr, jdk.ThreadEnd, 20",
        "jthreaddump-jdk25-monitor-contention.jfr, jdk.JavaMonitorEnter, 576",
        "jthreaddump-jdk25-monitor-contention.jfr, jdk.JavaExceptionThrow, 13",
        "jmc-jdk17ea-monitor-enter-wait.jfr, jdk.JavaMonitorEnter, 46",
        "grafana-asyncprofiler-jbr17-goland-6chunks-lock.jfr, jdk.JavaMonitorEnter, 12888",
        "grafana-asyncprofiler-jbr17-goland-6chunks-lock.jfr, jdk.ThreadPark, 4216",
        // SOURCES.tsv: 3 chunks, ThreadPark x1714, ThreadDump x4 (jdk.jfr fails on it; JMC reads all of it)
        "grafana-jdk21ga-threadpark-monitorwait-3chunks.jfr, jdk.ThreadPark, 1714",
        "grafana-jdk21ga-threadpark-monitorwait-3chunks.jfr, jdk.ThreadDump, 4",
        "grafana-asyncprofiler-jdk17.0.7-kafka-lock-contention.jfr, jdk.JavaMonitorEnter, 1773",
        "grafana-asyncprofiler-jdk17.0.7-kafka-lock-contention.jfr, jdk.ThreadPark, 435",
        "grafana-jdk11.0.16-ddtrace-park-biasedlock.jfr, jdk.ThreadPark, 122",
        "grafana-jdk11.0.16-ddtrace-park-biasedlock.jfr, jdk.ThreadEnd, 2",
        "grafana-jdk17.0.2-allocation-park.jfr, jdk.ThreadPark, 799",
        "grafana-jdk17.0.2-allocation-park.jfr, jdk.JavaMonitorWait, 129",
        "grafana-jdk21.0.4-threadpark-monitorwait.jfr, jdk.ThreadPark, 805",
        "grafana-jdk21.0.4-threadpark-monitorwait.jfr, jdk.JavaMonitorWait, 74",
        // async-profiler's own recordings carry no lock events, only the JVM's identity
        "jifa-asyncprofiler-cpu-jdk8u372.jfr, jdk.JVMInformation, 1",
        "jifa-asyncprofiler-wall-jdk8u372.jfr, jdk.JVMInformation, 1",
        "jifa-jdk21.0.1-allocation-sample.jfr, jdk.ThreadStart, 4",
        "jifa-jdk21.0.1-allocation-sample.jfr, jdk.ThreadDump, 2",
        "jifa-jdk8u372-monitor-events-threaddump.jfr, jdk.JavaMonitorWait, 1030",
        "jifa-jdk8u372-monitor-events-threaddump.jfr, jdk.ThreadSleep, 179",
        "jmc-jdk11.0.4-macos-hotmethods.jfr, jdk.JavaMonitorWait, 5182",
        "jmc-jdk11.0.9.1-windows-park-monitor.jfr, jdk.JavaMonitorWait, 33",
        "jmc-jdk11.0.9.1-windows-park-monitor.jfr, jdk.ThreadPark, 32",
        "jmc-jdk12-internal-2chunks-incremental-metadata.jfr, jdk.JavaMonitorWait, 860",
        "jmc-jdk12-internal-2chunks-incremental-metadata.jfr, jdk.JavaErrorThrow, 20",
        "jmc-jdk12-internal-2chunks-incremental-metadata.jfr, jdk.ThreadDump, 4",
        "jmc-jdk15-2chunks-threaddump.jfr, jdk.ThreadDump, 2",
        "jmc-jdk21.0.1-threadpark-monitor-threaddump.jfr, jdk.JavaExceptionThrow, 87",
        "jmc-jdk21.0.1-threadpark-monitor-threaddump.jfr, jdk.ThreadPark, 62",
        "jmc-jdk8u292-openjdk-backport.jfr, jdk.JVMInformation, 1",
        "jthreaddump-jdk25-reentrantlock-park.jfr, jdk.ThreadPark, 544",
        "jthreaddump-jdk25-reentrantlock-park.jfr, jdk.ThreadSleep, 436",
        // legacy and JDK 9 formats, through JMC
        "jmc-oraclejdk7u40-legacy-v0.9.jfr.gz, jdk.JavaMonitorWait, 108",
        "jmc-oraclejdk8u60-legacy-v0.9.jfr.gz, jdk.JavaMonitorWait, 65",
        "jmc-jdk9-crash-threaddump-v1format.jfr, jdk.ThreadDump, 1",
        // JRockit: JMC's own counts, its URIs mapped (http://www.oracle.com/jrockit/jvm/java/monitor_enter ...)
        "jmc-jrockit-R28.2-legacy.jfr, jdk.JavaMonitorEnter, 10",
        "jmc-jrockit-R28.2-legacy.jfr, jdk.JavaMonitorWait, 2",
        "jmc-jrockit-R28.2-legacy.jfr, jdk.ThreadSleep, 43"})
    void eventCountsMatchJfrSummary(String file, String type, long expected) throws IOException {
        Recording r = read(Dumps.corpus("jfr/" + file), new ArrayList<>()).recording();
        assertEquals(expected, r.eventCounts().getOrDefault(type, 0L));
    }

    @Test
    void jdkParserFailingPartWayFallsBackToJmc() throws IOException {
        Path p = Dumps.corpus("jfr/grafana-jdk21ga-threadpark-monitorwait-3chunks.jfr");
        JfrReader.Result r = JfrReader.read(p, "f", false, new ArrayList<>()::add, JfrReader.Parser.JDK);
        assertTrue(r.message().contains("JMC's parser, after jdk.jfr failed (InternalError"), r.message());
    }

    @Test
    void lockscopesParserReadsTheFileJdkJfrFailsOn() throws IOException {
        List<Snapshot> dumps = new ArrayList<>();
        JfrReader.Result r = read(Dumps.corpus("jfr/grafana-jdk21ga-threadpark-monitorwait-3chunks.jfr"), dumps);
        assertTrue(r.message().startsWith("JFR 2.1 via lockscope's parser;"), r.message());
        assertTrue(r.complete());
        assertEquals(4, dumps.size(), "SOURCES.tsv: ThreadDump x4");
    }

    @Test
    void recordingCutShortKeepsItsWholeChunks(@TempDir Path dir) throws IOException {
        // a two-chunk recording cut inside its second chunk; the first chunk is 105,955 bytes (its header says so)
        byte[] whole = Files.readAllBytes(Dumps.corpus("jfr/jmc-jdk15-2chunks-threaddump.jfr"));
        Path cut = Files.write(dir.resolve("cut.jfr"), Arrays.copyOf(whole, 200_000));
        Path firstChunk = Files.write(dir.resolve("first.jfr"), Arrays.copyOf(whole, 105_955));
        JfrReader.Result r = read(cut, new ArrayList<>());
        assertFalse(r.complete());
        assertTrue(r.message().contains("via lockscope's parser") && r.message().contains("chunk 2 at byte 105,955 says it has 162,470 bytes,"
                + " but the file ends 94,045 bytes after its start (cut short); 1 whole chunk (105,955 of 200,000 bytes, 52%)"), r.message());
        Recording expected = JfrReader.read(firstChunk, "f", false, new ArrayList<>()::add, JfrReader.Parser.JDK).recording();
        assertEquals(expected.eventCounts(), r.recording().eventCounts(), "what jdk.jfr reads from the first chunk alone");
    }

    @Test
    void recordingCutInItsFirstChunkFailsWithWhereAndWhy(@TempDir Path dir) throws IOException {
        // a chunk's event layouts are in its metadata at its end: no parser can read events of a chunk cut short,
        // and none is handed one (the JDK's would wait for the chunk to be finished)
        byte[] whole = Files.readAllBytes(Dumps.corpus("jfr/jmc-jdk15-2chunks-threaddump.jfr"));
        Path cut = Files.write(dir.resolve("cut.jfr"), Arrays.copyOf(whole, 50_000));
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> read(cut, new ArrayList<>()));
        assertTrue(e.getMessage().startsWith("JFR 2.0: chunk 1 at byte 0 says it has 105,955 bytes, but the file ends 50,000 bytes after"
                + " its start (cut short); no chunk is whole"), e.getMessage());
    }

    @Test
    void threadDumpEventsBecomeSnapshotsOfTheSameJvm() throws IOException {
        List<Snapshot> dumps = new ArrayList<>();
        JfrReader.Result r = read(Dumps.corpus("jfr/jmc-jdk21.0.1-threadpark-monitor-threaddump.jfr"), dumps);
        assertEquals(2, dumps.size());
        assertEquals("jfr-threaddump", dumps.get(0).format());
        assertTrue(dumps.get(0).threads().size() > 5);
        assertEquals(r.recording().jvm().pid(), dumps.get(0).jvm().pid(), "the recording's pid, for grouping");
        assertTrue(dumps.get(0).time().isPresent());
    }

    @Test
    void jvmIdentityFromJvmInformation() throws IOException {
        Recording r = read(Dumps.sample("jdk25/dead-owner.jfr"), new ArrayList<>()).recording();
        assertTrue(r.jvm().pid().isPresent());
        assertEquals("JDK 25.0.3+9-LTS", r.jvm().vmVersion().orElseThrow());
        assertTrue(r.jvmStart().isPresent());
    }

    @Test
    void threadsThatEndedAndTheExceptionThatEndedThem() throws IOException {
        Recording r = read(Dumps.sample("jdk17/dead-owner.jfr"), new ArrayList<>()).recording();
        Recording.ThreadLife worker = r.threads().stream().filter(t -> t.name().equals("ingest-worker-1")).findFirst().orElseThrow();
        assertTrue(worker.ended().isPresent());
        Recording.ThrownException x = r.exceptions().stream().filter(e -> e.threadName().equals("ingest-worker-1")).findFirst().orElseThrow();
        assertEquals("java.lang.IllegalStateException", x.exceptionClass());
        assertEquals("malformed record", x.message());
        assertTrue(x.stack().get(0).method().startsWith("Scenario.lambda$deadOwner$"), "the throw site, below Throwable's constructors");
    }

    @Test
    void jrockitMonitorEnterWithItsOwner() throws IOException {
        Recording r = read(Dumps.corpus("jfr/jmc-jrockit-R28.2-legacy.jfr"), new ArrayList<>()).recording();
        Recording.Contention c = r.contentions().get(0);
        assertEquals("com.jrockit.mc.test.zoo.events.transition.TransitionRunner$Lock", c.lockClass());
        assertEquals(Recording.ContentionKind.MONITOR_ENTER, c.kind());
        assertEquals(10, c.events());
        assertTrue(c.previousOwners().containsKey("Thread 4"), c.previousOwners().toString());
        assertTrue(c.longest().toMillis() > 1000, "JRockit gives an end time, not a duration: " + c.longest());
        assertTrue(r.jvm().vmVersion().orElseThrow().contains("R28.2.0"), r.jvm().toString());
        assertTrue(r.jvmStart().isPresent());
    }
}
