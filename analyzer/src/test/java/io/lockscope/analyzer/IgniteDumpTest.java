package io.lockscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.engine.Finding;
import io.lockscope.model.JvmThread;
import io.lockscope.model.ReportedDeadlock;
import io.lockscope.model.Snapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Apache Ignite writes its own thread dump into a node's log ({@code IgniteUtils.dumpThreads}: a
 * blocked system-critical thread, a partition map exchange that does not finish, a failure handler),
 * often the only dump an incident leaves of a cluster's node. capture.sh's run_ignite has Ignite dump a
 * scenario's JVM into a log after a thousand lines of the node's own, twice three seconds apart
 * ({@code .ignite.log.gz}), then takes jcmd's dump of the same JVM ({@code .ignite-jcmd.txt}).
 */
class IgniteDumpTest {

    private static final List<String> SCENARIOS = List.of("monitor-deadlock", "reentrantlock-deadlock", "dead-owner", "healthy-busy");

    /**
     * Both dumps in the log, far past where formats are told, each at the time its title gives;
     * every thread its headers list and nothing of the log's other lines; the scenario's threads in
     * the states, with the frames and the holds jcmd's dump of the same JVM shows.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"jdk17", "jdk25"})
    void theDumpsInANodesLog(String jdk) throws IOException {
        for (String scenario : SCENARIOS) {
            Path log = Dumps.sample(jdk + "/" + scenario + ".ignite.log.gz");
            Dumps.readWholeAs(log, "2 dumps");
            List<String> lines = text(log).lines().toList();
            int first = IntStream.range(0, lines.size()).filter(i -> lines.get(i).contains("] Thread dump at ")).findFirst().orElseThrow();
            assertTrue(first > 1000, "the first dump comes after the node's own lines: line " + (first + 1));
            List<Snapshot> dumps = Dumps.read(log);
            assertEquals(2, dumps.size());
            List<String> titles = lines.stream().filter(l -> l.contains("] Thread dump at ")).toList();
            for (int i = 0; i < 2; i++) {
                Snapshot s = dumps.get(i);
                assertEquals("ignite-threads", s.format());
                String title = titles.get(i).substring(titles.get(i).indexOf("Thread dump at ") + 15);
                assertEquals(ZonedDateTime.parse(title, DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss z", Locale.ROOT)).toInstant(),
                        s.time().orElseThrow());
            }
            long headers = lines.stream().filter(l -> l.matches("(##### DEADLOCKED )?Thread \\[name=.*")).count();
            assertEquals(headers, dumps.get(0).threads().size() + dumps.get(1).threads().size()
                    - dumps.stream().flatMap(s -> s.threads().stream()).filter(t -> !t.alive()).count(), "threads read: " + scenario);
            if (scenario.equals("healthy-busy")) {
                continue; // its threads run on between one dump and the next
            }
            Snapshot jcmd = Dumps.readOne(Dumps.sample(jdk + "/" + scenario + ".ignite-jcmd.txt"));
            Dumps.sameScenarioThreads(jcmd, dumps.get(1), true);
        }
    }

    /**
     * Both deadlocks (found as in jcmd's dump: DeadlockInEveryRenderingTest), in both dumps of the
     * log; the threads Ignite marks "##### DEADLOCKED" are the JVM's own report, the same ring as the
     * one jcmd's dump prints.
     */
    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({
        "jdk17, monitor-deadlock, 'stocker,auditor,closer'",
        "jdk25, monitor-deadlock, 'stocker,auditor,closer'",
        "jdk17, reentrantlock-deadlock, 'transfer-a-to-b,transfer-b-to-a'",
        "jdk25, reentrantlock-deadlock, 'transfer-a-to-b,transfer-b-to-a'"})
    void theJvmsOwnReportIsTheMarkedThreads(String jdk, String scenario, String threads) {
        Path log = Dumps.sample(jdk + "/" + scenario + ".ignite.log.gz");
        Finding f = Dumps.only(Dumps.findings("deadlock", log));
        assertTrue(f.title().endsWith(" (in 2 dumps)"), f.title());
        Snapshot jcmdDump = Dumps.readOne(Dumps.sample(jdk + "/" + scenario + ".ignite-jcmd.txt"));
        for (Snapshot s : Dumps.read(log)) {
            assertTrue(s.deadlockSearch().shown());
            ReportedDeadlock ring = s.reportedDeadlocks().get(0);
            assertEquals(1, s.reportedDeadlocks().size());
            assertEquals(Set.copyOf(jcmdDump.reportedDeadlocks().get(0).ring().stream().map(ReportedDeadlock.Link::thread).toList()),
                    Set.copyOf(ring.ring().stream().map(ReportedDeadlock.Link::thread).toList()));
            for (ReportedDeadlock.Link link : ring.links()) {
                assertTrue(Set.of(threads.split(",")).contains(link.heldBy()), link.toString());
            }
        }
    }

    /** The healthy application: threads that wait for locks, the JVM's search finding no deadlock, and nothing found. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"jdk17", "jdk25"})
    void aHealthyNodeShowsNothingWrong(String jdk) {
        Path log = Dumps.sample(jdk + "/healthy-busy.ignite.log.gz");
        for (Snapshot s : Dumps.read(log)) {
            assertTrue(s.deadlockSearch().shown());
            assertEquals(List.of(), s.reportedDeadlocks());
            assertTrue(s.threads().stream().filter(t -> !Dumps.waitedFor(t).isEmpty()).count() >= 5);
            for (JvmThread t : s.threads()) {
                Set<String> held = Dumps.held(t);
                Dumps.waitedFor(t).forEach(lock -> assertTrue(!held.contains(lock), t.name() + " holds the lock it waits for"));
            }
        }
        assertEquals(List.of(), Dumps.analyze(log).outcome().findings().stream().map(Finding::title).toList());
    }

    /** Ignite writes its own packages short in frames ("o.a.i.i.util.IgniteUtils"): read, they are whole again. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"jdk17", "jdk25"})
    void ignitesShortPackagesAreWrittenOut(String jdk) throws IOException {
        Path log = Dumps.sample(jdk + "/healthy-busy.ignite.log.gz");
        assertTrue(text(log).contains("at app//o.a.i.i.util.IgniteUtils.dumpThreads(IgniteUtils.java:"));
        JvmThread dumper = Dumps.thread(Dumps.read(log).get(0), "ignite-dump");
        assertTrue(dumper.frames().stream().anyMatch(f -> f.method().equals("org.apache.ignite.internal.util.IgniteUtils.dumpThreads")),
                dumper.frames().toString());
        assertTrue(dumper.frames().stream().noneMatch(f -> f.method().startsWith("o.a.i.")));
    }

    /**
     * The log taken out of the middle of the second dump (a copy that broke off): both dumps, the
     * second up to the cut, and the file partial, for its last line breaks off inside the dump.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"jdk17", "jdk25"})
    void aLogCutInItsSecondDump(String jdk, @TempDir Path dir) throws IOException {
        String whole = text(Dumps.sample(jdk + "/monitor-deadlock.ignite.log.gz"));
        int second = whole.lastIndexOf("Thread dump at ");
        int cut = whole.indexOf("at app//Scenario.nested", whole.indexOf("name=\"auditor\"", second)) + 12;
        Path damaged = dir.resolve("ignite.log");
        Files.writeString(damaged, whole.substring(0, cut));
        var report = Dumps.report(damaged);
        assertEquals(io.lockscope.analyzer.input.InputStatus.PARTIAL, report.status(), report.message());
        int secondLine = (int) whole.substring(0, second).chars().filter(c -> c == '\n').count() + 1;
        assertTrue(report.message().matches("2 dumps; the dump at line " + secondLine + " breaks off in its last line \\(\\d+\\): cut short, "
                + "the last dump kept as far as it goes"), report.message());
        List<Snapshot> dumps = Dumps.read(damaged);
        assertEquals(2, dumps.size());
        List<JvmThread> last = dumps.get(1).threads();
        assertEquals("auditor", last.get(last.size() - 1).name(), "the threads up to the one whose stack the cut ends");
        assertEquals(Dumps.read(Dumps.sample(jdk + "/monitor-deadlock.ignite.log.gz")).get(0).threads().size(), dumps.get(0).threads().size());
    }

    private static String text(Path gz) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }
}
