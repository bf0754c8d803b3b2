package io.lockscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.input.InputStatus;
import io.lockscope.engine.Evidence;
import io.lockscope.engine.Finding;
import io.lockscope.engine.Severity;
import io.lockscope.graph.Hold;
import io.lockscope.graph.LockGraph;
import io.lockscope.graph.Wait;
import io.lockscope.model.JvmThread;
import io.lockscope.model.Snapshot;
import io.lockscope.model.ThreadState;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The dumps of the other JVMs: IBM javacores (Classic 1.4 to OpenJ9 on JDK 21), JRockit (four
 * layouts, in WebLogic logs too), Android ART traces, VisualVM's rendering. Each file of the
 * corpus is read, each checked for a fact a person can see in it.
 */
class OtherJvmsDumpTest {

    static List<Path> everyFile() {
        List<Path> all = new java.util.ArrayList<>();
        all.addAll(Dumps.corpusFiles("javacore"));
        all.addAll(Dumps.corpusFiles("jrockit"));
        all.addAll(Dumps.corpusFiles("anr"));
        all.add(Dumps.corpus("jstack/tda-jdk6u10-visualvm-remote-format.txt"));
        return all;
    }

    @ParameterizedTest
    @MethodSource("everyFile")
    void everyFileIsRead(Path file) {
        var input = Dumps.report(file);
        assertTrue(input.status() == InputStatus.READ || input.status() == InputStatus.PARTIAL, file + ": " + input.message());
        assertTrue(input.snapshots() > 0, input.message());
        assertTrue(Dumps.read(file).stream().allMatch(s -> !s.threads().isEmpty()), file.toString());
    }

    private static Set<String> threads(Finding f) {
        return Set.copyOf(f.threads());
    }

    private static LockGraph graph(Snapshot s) {
        return LockGraph.of(s);
    }

    private static Set<String> heldBy(Snapshot s, String thread) {
        LockGraph g = graph(s);
        return g.holdsOf(Dumps.thread(s, thread).index()).stream().map(h -> h.lock().id()).collect(Collectors.toSet());
    }

    @ParameterizedTest
    @ValueSource(strings = {"javacore/tdfg-semeru21.0.4-macos-aarch64-liberty-idle.javacore.txt",
        "javacore/samurai-ibm-classic-1.4.2sr1-weblogic-idle-before-deadlock.javacore.txt",
        "javacore/mat-ibm-j9-jre7-linux-x64.javacore.txt", "javacore/mat-ibm-j9-jre8-windows-x64.javacore.txt",
        "javacore/mat-ibm-j9-2.4-java6sr5-winxp-old-thread-header.javacore.txt",
        "javacore/mat-ibm-classic-1.4.2sr10-win32-flat-lock.javacore.txt",
        "javacore/jca-ibmjava8sr6fp15-win-thread-name-with-quote.javacore.txt",
        "javacore/tdfg-ibmjava8sr5fp41-liberty-derby-monitor-blocked.javacore.txt",
        "jrockit/threadlogic-jrockit-R26.4-1.5.0_06-wls-idle-2dumps.txt",
        "jrockit/threadlogic-jrockit-1.4.2-wls-blocked-fat-lock-no-holder.txt",
        "jrockit/samurai-jrockit81-1.4.2_03-deadlock-without-lock-info-3dumps.txt",
        "jstack/samurai-jrockit81-weblogic-2003.txt", "jstack/tda-jdk6u3-jmx-mbean-format-3dumps.txt",
        "jstack/tda-jdk6u10-visualvm-remote-format.txt",
        "anr/bugsnag-android13-emu-main-sleeping-quoted-thread-name.txt", "anr/datadog-android14-emu-exitinfo-main-runnable-ondraw.txt",
        "anr/backtrace-android11-x86-emu-exitinfo-main-native.txt", "anr/sentry-android-dropbox-waiting-channels-only.txt",
        "anr/sentry-android-emu-native-backtraces-only.txt"})
    void quietFilesGiveNothingAtWarningOrAbove(String relative) {
        Path file = Dumps.corpus(relative);
        var r = Dumps.analyze(file);
        assertTrue(r.jvms().stream().mapToInt(j -> j.snapshots().size()).sum() > 0, "read: " + relative);
        List<Finding> loud = r.outcome().findings().stream().filter(f -> f.severity().compareTo(Severity.WARNING) >= 0).toList();
        assertTrue(loud.isEmpty(), relative + ": " + loud.stream().map(Finding::title).toList());
    }

    @Test
    void jmxDemoRenderingIsRead() {
        List<Snapshot> dumps = Dumps.read(Dumps.corpus("jstack/tda-jdk6u3-jmx-mbean-format-3dumps.txt"));
        assertEquals(3, dumps.size());
        Snapshot s = dumps.get(0);
        assertEquals("threadinfo-text", s.format());
        JvmThread rmi = Dumps.thread(s, "RMI TCP Connection(23)-127.0.1.1");
        assertEquals(java.util.OptionalLong.of(3149), rmi.javaId());
        assertEquals(ThreadState.RUNNABLE, rmi.state());
        assertTrue(heldBy(s, "RMI TCP Connection(23)-127.0.1.1").contains("166fba"), "its locked synchronizer");
    }

    @org.junit.jupiter.api.io.TempDir
    Path dir;

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        "javacore/mat-ibm-j9-jre8-windows-x64.javacore.txt, 0.6, javacore stops at line",
        "jrockit/samurai-jrockit-1.4.2_05-thin-fat-lock-deadlock-3dumps.txt, 0.9, without JRockit's \"END OF THREAD DUMP\"",
        "anr/sentry-android13-emu-main-blocked-held-by-thread-5.txt, 0.7, without its \"----- end\" line"})
    void aCopyCutShortKeepsWhatWasReadAndSaysSo(String relative, double keep, String says) throws Exception {
        byte[] whole = java.nio.file.Files.readAllBytes(Dumps.corpus(relative));
        Path cut = java.nio.file.Files.write(dir.resolve(Path.of(relative).getFileName()),
                java.util.Arrays.copyOf(whole, (int) (whole.length * keep)));
        var input = Dumps.report(cut);
        assertEquals(InputStatus.PARTIAL, input.status(), input.message());
        assertTrue(input.message().contains(says), input.message());
        assertTrue(Dumps.read(cut).stream().mapToInt(s -> s.threads().size()).sum() > 0, "the threads before the cut are kept");
    }

    // ---- javacore ---------------------------------------------------------------------------------

    @Test
    void j9DeadlockThroughAReadWriteLockAndAMonitorIsTheOneJ9Reports() {
        Path file = Dumps.corpus("javacore/jca-ibmjava8sr6fp15-jazz-rrwlock-monitor-deadlock.javacore.txt.gz");
        Finding f = RuleSupport.only(Dumps.findings("deadlock", file));
        assertEquals(Severity.ERROR, f.severity());
        Set<String> ring = threads(f);
        assertTrue(ring.contains("JTS Status check"), ring.toString());
        assertTrue(ring.stream().anyMatch(t -> t.startsWith("Default Executor-thread-51 @@ 11:44")), ring.toString());
        assertFalse(f.title().endsWith("(reported by the JVM)"), "found by the graph, not only copied: " + f.title());
        assertTrue(f.evidence().stream().anyMatch(e -> e.kind() == Evidence.Kind.REPORTED_BY_JVM), "J9's own report kept");
        Snapshot s = Dumps.readOne(file);
        assertEquals(ThreadState.BLOCKED, Dumps.thread(s, "JTS Status check").state());
        // J9 names the owner of the ReentrantReadWriteLock the other thread is parked on
        assertTrue(heldBy(s, "JTS Status check").contains("0x10acf5158"), heldBy(s, "JTS Status check").toString());
        assertEquals(java.util.OptionalLong.of(0x231), Dumps.thread(s, "JTS Status check").javaId());
    }

    @Test
    void classicDeadlockTheVmDidNotReportIsFound() {
        // two threads queued on each other's flat lock, listed under "Waiting to be notified", no 1LKDEADLOCK
        Path file = Dumps.corpus("javacore/samurai-ibm-classic-1.4.0-undetected-deadlock-flat-locks.javacore.txt");
        Finding f = RuleSupport.only(Dumps.findings("deadlock", file));
        assertEquals(Set.of("Thread-1", "Thread-2"), threads(f));
        Snapshot s = Dumps.readOne(file);
        assertEquals(Set.of("0x9b3d78"), heldBy(s, "Thread-2"));
        assertEquals(Set.of("0x9b3d88"), heldBy(s, "Thread-1"));
        assertTrue(s.reportedDeadlocks().isEmpty());
    }

    @Test
    void classicWebLogicDeadlockMatchesTheVmsReport() {
        Path file = Dumps.corpus("javacore/samurai-ibm-classic-1.4.2sr1-weblogic-monitor-deadlock.javacore.txt");
        Finding f = Dumps.findings("deadlock", file).stream().filter(x -> x.severity() == Severity.ERROR).findFirst().orElseThrow();
        assertTrue(threads(f).containsAll(Set.of("ExecuteThread: '14' for queue: 'weblogic.kernel.Default'",
                "ExecuteThread: '12' for queue: 'weblogic.kernel.Default'")), threads(f).toString());
        assertEquals(1, Dumps.readOne(file).reportedDeadlocks().size(), "J9 prints the ring from each thread: kept once");
        assertTrue(f.evidence().stream().anyMatch(e -> e.kind() == Evidence.Kind.REPORTED_BY_JVM));
    }

    @Test
    void thirteenThreadsWaitForAClassMonitorHeldByASleeper() {
        Path file = Dumps.corpus("javacore/samurai-ibm-classic-1.4.2sr1-weblogic-13-waiters-class-monitor.javacore.txt");
        Finding f = RuleSupport.only(Dumps.findings("contention-hotspot", file));
        assertTrue(f.title().startsWith("13 threads wait for Class <0x2ad2bf8>, held by ExecuteThread: '6'"), f.title());
        Finding sleeps = RuleSupport.only(Dumps.findings("blocking-while-holding", file));
        assertTrue(sleeps.title().contains("sleeps in staplerz.common.Lazybones.getName"), sleeps.title());
    }

    @Test
    void j9BlockedOnAMonitorNamesItsOwner() {
        Snapshot derby = Dumps.readOne(Dumps.corpus("javacore/tdfg-ibmjava8sr5fp41-liberty-derby-monitor-blocked.javacore.txt"));
        LockGraph g = graph(derby);
        Wait w = g.waitsOf(Dumps.thread(derby, "Default Executor-thread-124").index()).get(0);
        assertEquals("org.apache.derby.impl.store.raw.log.LogToFile", w.lock().className());
        List<Hold> holders = g.holdersOf(w.lock().id());
        assertEquals("Default Executor-thread-135", g.thread(holders.get(0).thread()).name());
        // a flat lock J9 reports in the monitor pool: its owner holds it
        Snapshot flat = Dumps.readOne(Dumps.corpus("javacore/tdfg-ibmjava8sr5fp41-liberty-flat-locked-object-blocked.javacore.txt"));
        assertTrue(heldBy(flat, "Default Executor-thread-157").contains("0xe14653b0"));
        // four threads share the name; the one J9 lists waiting to enter the flat-locked object is blocked on it
        JvmThread selector = flat.threads().stream().filter(t -> t.address().equals(java.util.Optional.of("0x22e8200")))
                .findFirst().orElseThrow();
        assertEquals("Inbound Read Selector.1", selector.name());
        assertEquals(ThreadState.BLOCKED, selector.state());
        assertEquals("0xe14653b0", graph(flat).waitsOf(selector.index()).get(0).lock().id());
    }

    @Test
    void headersOfEveryJavacoreLayout() {
        Snapshot classic = Dumps.readOne(Dumps.corpus("javacore/mat-ibm-classic-1.4.2sr10-win32-flat-lock.javacore.txt"));
        assertEquals(1, classic.threads().stream().filter(t -> t.name().equals("Signal dispatcher")).count(), "printed twice, one thread");
        assertEquals(Set.of("0xbc3fa8"), heldBy(classic, "main"), "flat-locked by ident 0x02, which is main");
        Snapshot j924 = Dumps.readOne(Dumps.corpus("javacore/mat-ibm-j9-2.4-java6sr5-winxp-old-thread-header.javacore.txt"));
        assertEquals(ThreadState.RUNNABLE, Dumps.thread(j924, "main").state());
        assertEquals(java.util.Optional.of("0xcbd00"), Dumps.thread(j924, "main").address());
        Snapshot quote = Dumps.readOne(Dumps.corpus("javacore/jca-ibmjava8sr6fp15-win-thread-name-with-quote.javacore.txt"));
        assertEquals(ThreadState.RUNNABLE, Dumps.thread(quote, "thread name with \" quotation").state());
        Snapshot jre8 = Dumps.readOne(Dumps.corpus("javacore/mat-ibm-j9-jre8-windows-x64.javacore.txt"));
        assertEquals(java.util.OptionalLong.of(9480), jre8.jvm().pid());
        assertTrue(jre8.jvm().vmVersion().orElse("").contains("JRE 1.8.0"), jre8.jvm().vmVersion().toString());
        Snapshot semeru = Dumps.readOne(Dumps.corpus("javacore/tdfg-semeru21.0.4-macos-aarch64-liberty-idle.javacore.txt"));
        assertTrue(semeru.jvm().vmVersion().orElse("").contains("21.0.4"), semeru.jvm().vmVersion().toString());
        assertEquals(java.util.OptionalLong.of(2), Dumps.thread(semeru, "main").javaId(), "getId:0x2");
        assertTrue(semeru.time().isPresent());
    }

    // ---- JRockit ----------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"jrockit/samurai-jrockit-1.4.2_05-thin-fat-lock-deadlock-3dumps.txt",
        "jrockit/samurai-jrockit-R24.4-wls814-log-deadlock-blocked-chains-4dumps.txt",
        "jrockit/samurai-jrockit-R26.0-wls910-log-deadlock-blocked-chains-4dumps.txt"})
    void jrockitsCircularChainsAreTheRingsTheGraphFinds(String relative) {
        Path file = Dumps.corpus(relative);
        List<Snapshot> dumps = Dumps.read(file);
        Set<String> reported = dumps.stream().flatMap(s -> s.reportedDeadlocks().stream())
                .flatMap(r -> r.threadNames().stream()).collect(Collectors.toSet());
        assertEquals(2, reported.size(), reported.toString());
        Finding f = Dumps.findings("deadlock", file).stream().filter(x -> x.severity() == Severity.ERROR).findFirst().orElseThrow();
        assertTrue(threads(f).containsAll(reported), threads(f) + " vs " + reported);
        assertFalse(f.title().endsWith("(reported by the JVM)"), f.title());
    }

    /**
     * JRockit ends a dump with its lock chains, each link a line shaped like a thread's header
     * ({@code "ExecuteThread: '13' ..." (id: 0x00000c00) in chain 2}). They name threads listed
     * above and must not be read as more of them: each dump has as many threads as headers above
     * its chains (counted with awk over the file) and each thread once.
     */
    @ParameterizedTest
    @CsvSource({"jrockit/samurai-jrockit-R24.4-wls814-log-deadlock-blocked-chains-4dumps.txt, 46 46 46 46",
        "jrockit/samurai-jrockit-R26.0-wls910-log-deadlock-blocked-chains-4dumps.txt, 43 43 43 43",
        "jrockit/samurai-jrockit81sp3-wls-string-lock-blocked-open-chains-3dumps.txt, 57 60 60"})
    void theLockChainsAtADumpsEndAreNotMoreThreads(String relative, String headers) {
        List<Snapshot> dumps = Dumps.read(Dumps.corpus(relative));
        assertEquals(headers, dumps.stream().map(s -> String.valueOf(s.threads().size())).collect(Collectors.joining(" ")));
        for (Snapshot s : dumps) {
            List<String> names = s.threads().stream().map(JvmThread::name).toList();
            assertEquals(names.size(), Set.copyOf(names).size(), s.label() + ": a thread listed twice in " + names);
            assertTrue(s.threads().stream().noneMatch(t -> t.stateDetail().contains("chain")), s.label());
        }
    }

    @Test
    void adminLayoutThinLocksAndJRockitsSleep() {
        Path file = Dumps.corpus("jrockit/samurai-jrockit-R24.4-wls814-admin-format-thin-lock-contention-6dumps.txt");
        assertEquals(6, Dumps.read(file).size());
        Snapshot first = Dumps.read(file).get(0);
        JvmThread three = Dumps.thread(first, "ExecuteThread: '3' for queue: 'weblogic.kernel.Default'");
        // JRockit sleeps by waiting on a lock of its own: a sleep, holding the page's lock others block on
        assertEquals(ThreadState.TIMED_WAITING, three.state());
        assertEquals(Set.of("0x43d07d0"), heldBy(first, "ExecuteThread: '3' for queue: 'weblogic.kernel.Default'"));
        Finding sleeps = RuleSupport.only(Dumps.findings("blocking-while-holding", file));
        assertTrue(sleeps.title().contains("sleeps in jsp_servlet.__index._jspService"), sleeps.title());
    }

    @Test
    void jrockitIdleDumpsAreQuiet() {
        for (String f : List.of("jrockit/threadlogic-jrockit-R26.4-1.5.0_06-wls-idle-2dumps.txt",
                "jrockit/samurai-jrockit81-1.4.2_03-deadlock-without-lock-info-3dumps.txt")) {
            var r = Dumps.analyze(Dumps.corpus(f));
            assertTrue(r.outcome().findings().stream().noneMatch(x -> x.severity().compareTo(Severity.WARNING) >= 0),
                    f + ": " + r.outcome().findings().stream().map(Finding::title).toList());
        }
        Snapshot r26 = Dumps.read(Dumps.corpus("jrockit/threadlogic-jrockit-R26.4-1.5.0_06-wls-idle-2dumps.txt")).get(0);
        assertEquals(java.util.OptionalLong.of(1), Dumps.thread(r26, "Main Thread").javaId());
        assertEquals(ThreadState.WAITING, Dumps.thread(r26, "Main Thread").state());
    }

    // ---- Android ----------------------------------------------------------------------------------

    @Test
    void mainBlockedOnALockHeldByThreadFive() {
        Path file = Dumps.corpus("anr/sentry-android13-emu-main-blocked-held-by-thread-5.txt");
        Snapshot s = Dumps.readOne(file);
        assertEquals("anr", s.format());
        assertEquals(java.util.OptionalLong.of(28941), s.jvm().pid());
        assertEquals(ThreadState.BLOCKED, Dumps.thread(s, "main").state());
        assertTrue(heldBy(s, "Thread-9").contains("0x0d3a2f0a"));
        var report = io.lockscope.analyzer.report.ReportModel.build(Dumps.analyze(file), "test");
        String verdict = report.path("summary").path("verdicts").get(0).path("text").asText();
        assertTrue(verdict.startsWith("main is blocked waiting to lock Object <0x0d3a2f0a> held by Thread-9 in "
                + "io.sentry.samples.android.MainActivity$2.run(MainActivity.java:177)"), verdict);
    }

    @Test
    void everyProcessIsAJvmOfItsOwnAndQuietTracesAreQuiet() {
        Path[] files = Dumps.corpusFiles("anr").toArray(Path[]::new);
        var r = Dumps.analyze(files);
        Set<Long> pids = r.jvms().stream().map(j -> j.snapshots().get(0).jvm().pid().orElse(-1)).collect(Collectors.toSet());
        assertEquals(r.jvms().size(), pids.size(), "one JVM per process");
        assertEquals(6, r.jvms().size());
        List<Finding> loud = r.outcome().findings().stream().filter(f -> f.severity().compareTo(Severity.WARNING) >= 0).toList();
        assertEquals(1, loud.size(), loud.stream().map(Finding::title).toList().toString());
        assertEquals("Thread-9", loud.get(0).threads().get(0));
        Snapshot quoted = Dumps.readOne(Dumps.corpus("anr/bugsnag-android13-emu-main-sleeping-quoted-thread-name.txt"));
        assertEquals(ThreadState.TIMED_WAITING, Dumps.thread(quoted, "Bad \"name\"").state());
        assertEquals(ThreadState.TIMED_WAITING, Dumps.thread(quoted, "main").state());
        Snapshot datadog = Dumps.readOne(Dumps.corpus("anr/datadog-android14-emu-exitinfo-main-runnable-ondraw.txt"));
        assertEquals(47, datadog.threads().size(), "47 thread headers, though the header says 46");
        Snapshot nativeOnly = Dumps.readOne(Dumps.corpus("anr/sentry-android-emu-native-backtraces-only.txt"));
        assertEquals(java.util.Optional.of("9955"), Dumps.thread(nativeOnly, "samples.android").nativeId());
        Snapshot channels = Dumps.readOne(Dumps.corpus("anr/sentry-android-dropbox-waiting-channels-only.txt"));
        assertTrue(Dumps.thread(channels, "sysTid 12236").stateDetail().contains("do_sigtimedwait"));
    }

    // ---- VisualVM ---------------------------------------------------------------------------------

    @Test
    void visualVmLocksByClassAndHash() {
        Snapshot s = Dumps.readOne(Dumps.corpus("jstack/tda-jdk6u10-visualvm-remote-format.txt"));
        assertEquals("visualvm-text", s.format());
        assertEquals(119, s.threads().size());
        String rmi = "RMI TCP Connection(24)-192.18.126.254";
        assertTrue(heldBy(s, rmi).containsAll(Set.of("5284339c", "7a29682f")), heldBy(s, rmi).toString());
        JvmThread timer = Dumps.thread(s, "Timer-180");
        assertEquals("7311acb7", timer.frames().get(0).locks().get(0).lock().id(), "the wait named in the state line");
        assertEquals(io.lockscope.model.LockAction.Kind.WAITING_ON, timer.frames().get(0).locks().get(0).kind());
    }

    /** The rule tests' helper, for this package. */
    static final class RuleSupport {
        static Finding only(List<Finding> findings) {
            assertEquals(1, findings.size(), () -> "findings: " + findings.stream().map(Finding::title).toList());
            return findings.get(0);
        }
    }
}
