package io.lockscope.rules;

import static io.lockscope.rules.RuleTestSupport.evidenceThreads;
import static io.lockscope.rules.RuleTestSupport.only;
import static io.lockscope.rules.RuleTestSupport.onlyFinding;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.Dumps;
import io.lockscope.analyzer.EachSampleJdk;
import io.lockscope.engine.Evidence;
import io.lockscope.engine.Finding;
import io.lockscope.engine.Severity;
import io.lockscope.model.ReportedDeadlock;
import io.lockscope.model.Snapshot;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The deadlock rule on real dumps: our own scenarios on JDK 17 and 25, and the corpus. */
class DeadlockTest {

    @EachSampleJdk
    void positive_threeMonitorRing(String jdk) {
        Finding f = onlyFinding("deadlock", Severity.ERROR, Set.of("stocker", "auditor", "closer"), Dumps.sample(jdk + "/monitor-deadlock.txt"));
        assertTrue(f.title().startsWith("Deadlock among 3 threads on monitors: "), f.title());
        assertEquals(Set.of("Scenario$Inventory", "Scenario$Ledger", "Scenario$Register"),
                f.locks().stream().map(l -> l.className()).collect(Collectors.toSet()));
        assertEquals(Set.of("stocker", "auditor", "closer"), evidenceThreads(f, Evidence.Kind.WAITS_FOR));
        assertEquals(Set.of("stocker", "auditor", "closer"), evidenceThreads(f, Evidence.Kind.HOLDS));
        // HotSpot printed this one too, and the finding says so
        assertEquals(Set.of("stocker", "auditor", "closer"), evidenceThreads(f, Evidence.Kind.REPORTED_BY_JVM));
        Evidence wait = f.evidence().stream().filter(e -> e.kind() == Evidence.Kind.WAITS_FOR).findFirst().orElseThrow();
        assertTrue(wait.frame().orElseThrow().startsWith("Scenario.nested(Scenario.java:"), wait.frame().get());
        assertTrue(wait.at().position() > 0, "evidence names the line");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "jdk17/reentrantlock-deadlock.txt | transfer-a-to-b transfer-b-to-a | java.util.concurrent locks             | ReentrantLock$NonfairSync ReentrantLock$NonfairSync",
        "jdk25/reentrantlock-deadlock.txt | transfer-a-to-b transfer-b-to-a | java.util.concurrent locks             | ReentrantLock$NonfairSync ReentrantLock$NonfairSync",
        "jdk17/mixed-deadlock.txt         | cache-loader cache-evictor      | monitors and java.util.concurrent locks | ReentrantLock$NonfairSync Scenario$CacheIndex",
        "jdk25/mixed-deadlock.txt         | cache-loader cache-evictor      | monitors and java.util.concurrent locks | ReentrantLock$NonfairSync Scenario$CacheIndex"})
    void positive_ringsThroughJavaUtilConcurrentLocks(String sample, String threads, String kinds, String lockClasses) {
        Finding f = onlyFinding("deadlock", Severity.ERROR, Set.of(threads.split(" ")), Dumps.sample(sample));
        assertTrue(f.title().startsWith("Deadlock among 2 threads on " + kinds + ": "), f.title());
        assertEquals(List.of(lockClasses.split(" ")),
                f.locks().stream().map(l -> l.className().replace("java.util.concurrent.locks.", "")).sorted().toList());
    }

    @Test
    void positive_jsonDumpWhereHotSpotPrintsNoDeadlockSection() {
        Finding f = only(Dumps.findings("deadlock", Dumps.sample("jdk25/monitor-deadlock.json")));
        assertEquals(Set.of("stocker", "auditor", "closer"), Set.copyOf(f.threads()));
        assertTrue(evidenceThreads(f, Evidence.Kind.REPORTED_BY_JVM).isEmpty(), "found by lockscope alone");
    }

    @Test
    void positive_textAndJsonOfOneProcessAreOneFinding() {
        Finding f = only(Dumps.findings("deadlock", Dumps.sample("jdk25/monitor-deadlock.txt"), Dumps.sample("jdk25/monitor-deadlock.json")));
        assertTrue(f.title().endsWith("(in 2 dumps)"), f.title());
        assertEquals(2, f.evidence().stream().map(Evidence::snapshot).distinct().count());
    }

    @EachSampleJdk
    void positive_classInitializationCycleHotSpotNeverReports(String jdk) {
        Finding f = only(Dumps.findings("deadlock", Dumps.sample(jdk + "/class-init-deadlock.txt")));
        assertEquals(Set.of("init-first", "init-second"), Set.copyOf(f.threads()));
        assertTrue(f.title().startsWith("Deadlock among 2 threads on class initialization"), f.title());
        assertEquals(Set.of("Scenario$First", "Scenario$Second"), f.locks().stream().map(l -> l.className()).collect(Collectors.toSet()));
        assertTrue(evidenceThreads(f, Evidence.Kind.REPORTED_BY_JVM).isEmpty(), "HotSpot printed nothing");
        assertTrue(f.evidence().stream().anyMatch(e -> e.frame().orElse("").startsWith("Scenario$First.<clinit>")));
    }

    /**
     * A ring of two ReentrantLocks with a thread queued behind each side. HotSpot's report sets out
     * from report-runner, which started first and is not in the ring, so the chain it prints ends
     * on ledger-writer, in its middle. With -l the stacks show the owners; without it only that
     * report does, and the finding is the same.
     */
    @ParameterizedTest
    @ValueSource(strings = {"jdk17/queued-deadlock.txt", "jdk17/queued-deadlock.nolocks.txt", "jdk25/queued-deadlock.txt",
        "jdk25/queued-deadlock.nolocks.txt", "jdk17/queued-deadlock.jhsdb.txt", "jdk25/queued-deadlock.jhsdb.txt"})
    void positive_ringWithThreadsQueuedBehindIt(String sample) {
        Path dump = Dumps.sample(sample);
        Finding f = onlyFinding("deadlock", Severity.ERROR, Set.of("ledger-writer", "journal-flusher", "report-runner", "audit-reader"), dump);
        assertTrue(f.title().startsWith("Deadlock among 2 threads on java.util.concurrent locks: "), f.title());
        assertTrue(f.title().endsWith("; 2 more threads blocked behind it"), f.title());
        List<ReportedDeadlock> reported = Dumps.readOne(dump).reportedDeadlocks();
        assertEquals(1, reported.size(), reported::toString);
        ReportedDeadlock r = reported.get(0);
        assertEquals(Set.of("ledger-writer", "journal-flusher"), r.ring().stream().map(ReportedDeadlock.Link::thread).collect(Collectors.toSet()));
        // the Serviceability Agent's own search prints the ring alone
        assertEquals(sample.endsWith("jhsdb.txt") ? List.of() : List.of("report-runner"), r.leadIn(), r.links().toString());
    }

    @Test
    void positive_jsonDumpGuessesOwnersInTheMethodThatAsksForTheLock() {
        // no owners in a JSON dump, and all four threads run code of the one class Scenario; only the ring's two run
        // Scenario.nestedLocks, where both locks are asked for (every thread was a candidate before: five "rings")
        Finding f = onlyFinding("deadlock", Severity.WARNING, Set.of("ledger-writer", "journal-flusher"),
                Dumps.sample("jdk25/queued-deadlock.json"));
        assertTrue(f.title().startsWith("Likely deadlock among 2 threads on java.util.concurrent locks:"), f.title());
        assertTrue(f.detail().contains("\"journal-flusher\" likely holds") && f.detail().contains("\"ledger-writer\" likely holds"), f.detail());
        assertTrue(f.detail().contains("the one blocked thread running Scenario.nestedLocks, where the lock is taken"), f.detail());
    }

    @Test
    void negative_jsonDumpDoesNotSayWhichClassAThreadWaitsFor() {
        assertTrue(Dumps.findings("deadlock", Dumps.sample("jdk25/class-init-deadlock.json")).isEmpty());
    }

    @Test
    void positive_jsonDumpRingOfReentrantLocksIsALikelyDeadlock() {
        // JSON dumps never name owners of java.util.concurrent locks: each waits in the code that takes the other's lock
        Finding f = onlyFinding("deadlock", Severity.WARNING, Set.of("transfer-a-to-b", "transfer-b-to-a"), Dumps.sample("jdk25/reentrantlock-deadlock.json"));
        assertTrue(f.title().startsWith("Likely deadlock among 2 threads on java.util.concurrent locks:"), f.title());
        assertTrue(f.title().endsWith("(2 owners not shown)"), f.title());
        assertTrue(f.detail().contains("jcmd <pid> Thread.print -l"), f.detail());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk17/healthy-busy.txt", "jdk25/healthy-busy.txt", "jdk25/healthy-busy.json",
        "jdk17/half-ring-a.txt", "jdk17/sleep-holding-1.txt", "jdk25/contention.txt", "jdk25/lock-order-2.txt"})
    void negative_scenariosWithoutACycle(String sample) {
        assertTrue(Dumps.findings("deadlock", Dumps.sample(sample)).isEmpty());
    }

    @EachSampleJdk
    void negative_twoJvmsWithTheSameThreadNamesAreNeverOneRing(String jdk) {
        // half-ring A: alpha waits for beta; half-ring B: beta waits for alpha. By name, a ring.
        var result = Dumps.analyze(Dumps.sample(jdk + "/half-ring-a.txt"), Dumps.sample(jdk + "/half-ring-b.txt"));
        assertEquals(2, result.jvms().size());
        assertTrue(result.outcome().findings().stream().noneMatch(f -> f.rule().equals("deadlock")));
    }

    static Stream<Path> corpusDumpsWithDeadlockSections() {
        return Stream.of("jstack", "logs").flatMap(f -> Dumps.corpusFiles(f).stream())
                .filter(p -> Dumps.read(p).stream().anyMatch(s -> !s.reportedDeadlocks().isEmpty()));
    }

    /**
     * Every deadlock HotSpot printed is a finding naming the same threads, found by our own graph
     * (waits-for evidence). Deadlocks among differently named threads stay distinct findings; the
     * same code deadlocking twice (same names, same frames) is one finding that says so.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("corpusDumpsWithDeadlockSections")
    void positive_agreesWithEveryDeadlockHotSpotPrinted(Path file) {
        List<Snapshot> snapshots = Dumps.read(file);
        List<Finding> findings = Dumps.findings("deadlock", file);
        Set<Set<String>> distinct = new HashSet<>();
        long instances = snapshots.stream().flatMap(x -> x.reportedDeadlocks().stream())
                .map(r -> r.links().stream().map(l -> Deadlock.normalize(l.lock().id())).collect(Collectors.toSet()))
                .distinct().count();
        for (Snapshot s : snapshots) {
            for (ReportedDeadlock r : s.reportedDeadlocks()) {
                Set<String> names = Set.copyOf(r.threadNames());
                distinct.add(names);
                assertTrue(findings.stream().anyMatch(f -> f.threads().containsAll(names)
                                && f.evidence().stream().anyMatch(e -> e.kind() == Evidence.Kind.WAITS_FOR)
                                && f.evidence().stream().anyMatch(e -> e.kind() == Evidence.Kind.REPORTED_BY_JVM
                                        && e.snapshot().equals(s.label()))),
                        () -> s.label() + ": no finding names " + names + "; findings: " + findings.stream().map(Finding::title).toList());
            }
        }
        assertEquals(distinct.size(), findings.size(), () -> findings.stream().map(Finding::title).toList().toString());
        long merged = findings.stream().filter(f -> f.title().contains("more like it")).count();
        assertEquals(instances > distinct.size(), merged > 0, "repeated deadlocks are said to be repeated");
    }

    /**
     * Every deadlock a JVM printed, in each dialect that prints one (HotSpot's and the agent's
     * deadlock sections, JRockit's circular lock chains, J9's 1LKDEADLOCK), is read as the chain it
     * prints: each thread waits for a lock the next one holds, and the last one's lock is held by a
     * thread of the chain (the first, or, as HotSpot prints a thread stuck behind a ring, one
     * further on).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jstack", "logs", "jrockit", "javacore"})
    void everyReportedDeadlockIsReadAsTheChainItPrints(String folder) {
        int rings = 0;
        for (Path file : Dumps.corpusFiles(folder)) {
            for (Snapshot s : Dumps.read(file)) {
                for (ReportedDeadlock r : s.reportedDeadlocks()) {
                    List<ReportedDeadlock.Link> links = r.links();
                    for (int i = 0; i < links.size(); i++) {
                        ReportedDeadlock.Link link = links.get(i);
                        assertTrue(link.lock() != null && !link.lock().id().isEmpty(), s.label() + ": " + link);
                        if (i + 1 < links.size()) {
                            assertEquals(links.get(i + 1).thread(), link.heldBy(), s.label() + ": " + links);
                        } else {
                            assertTrue(r.threadNames().contains(link.heldBy()), s.label() + ": " + links);
                        }
                    }
                    rings++;
                }
            }
        }
        assertTrue(rings > 0, folder + " has dumps with deadlocks the JVM printed");
    }

    @Test
    void corpusHasTheDeadlockFilesWeExpect() {
        // 12 HotSpot files, and a JRockit dump with its "Circular (deadlocked) lock chains"
        assertEquals(13, corpusDumpsWithDeadlockSections().count());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "jstack/samurai-openjdk17-idle-3dumps.txt", "jstack/jstall-jdk26ea-jcmd-idle.txt",
        "jstack/jstall-jdk26ea-jcmd-busywork-series-0.txt", "jstack/samurai-liberica11-highcpu-3dumps.txt",
        "jstack/samurai-openjdk17-monitor-contention-3dumps.txt", "jstack/jthreaddump-jdk25-monitor-contention.txt",
        "jstack/jthreaddump-jdk25-producer-consumer.txt", "jstack/jthreaddump-jdk25-reentrantlock-parking.txt",
        "jstack/jthreaddump-jdk25-virtual-thread-deadlock-invisible.txt", "jstack/tda-jdk11.0.6-tomcat-jstack-l.txt",
        "jstack/tda-jdk6u3-heritrix-monitor-contention.txt", "jstack/tda-jdk5-hpux-ia64-2dumps-1148threads.txt",
        "jstack/binaryfoo-applejdk6-jstack.txt", "jstack/tdv-jdk21.0.2-macos-jstack-l.txt",
        "logs/samurai-wls81sp1-macos-applejdk1.4.2-console-log-3dumps.txt", "jcmd-json/tda-jdk21.0.10-intellij-jps.json"})
    void negative_idleAndBusyCorpusDumps(String file) {
        assertFalse(Dumps.findings("deadlock", Dumps.corpus(file)).stream().findAny().isPresent());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk17/three-kinds.nolocks.txt", "jdk25/three-kinds.nolocks.txt", "jdk25/three-kinds.json",
        "jdk17/three-kinds.jfr", "jdk25/three-kinds.jfr", "jdk17/three-kinds.txt", "jdk25/three-kinds.txt"})
    void positive_ringThroughOwnersTheDumpDoesNotShowIsALikelyDeadlock(String sample) {
        // pricing holds a ReentrantLock and wants the Quotes monitor; quoting holds it and wants Book's write lock;
        // booking reads Book and wants pricing's lock. No thread dump shows a read hold; some show no j.u.c owner at all.
        Finding f = onlyFinding("deadlock", Severity.WARNING, Set.of("pricing", "quoting", "booking"), Dumps.sample(sample));
        boolean withOwners = sample.endsWith("three-kinds.txt");
        assertTrue(f.title().startsWith("Likely deadlock among 3 threads on monitors and java.util.concurrent locks:"), f.title());
        assertTrue(f.title().contains(withOwners ? "(1 owner not shown)" : "(2 owners not shown)"), f.title());
        assertTrue(f.detail().contains("\"booking\" likely holds") && f.detail().contains("Scenario$Book"), f.detail());
        assertTrue(f.detail().contains("heap dump"), f.detail());
        assertEquals(!withOwners, f.detail().contains("Thread.print -l"), f.detail());
        // no orphan claimed for the lock a blocked thread in its code likely reads
        assertTrue(Dumps.findings("orphaned-lock", Dumps.sample(sample)).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jstack/jthreaddump-jdk25-producer-consumer.txt", "jstack/jthreaddump-jdk25-readwritelock.txt",
        "jstack/jthreaddump-jdk25-reentrantlock-parking.txt", "jcmd-json/tda-jdk21.0.10-intellij-jps.json", "jcmd-json/loominated-jdk24loom3-structuredtaskscope-37threads.json",
        "jstack/tda-jdk6u3-heritrix-monitor-contention.txt"})
    void negative_contentionWithHiddenOwnersIsNoLikelyRing(String file) {
        assertTrue(Dumps.findings("deadlock", Dumps.corpus(file)).stream().noneMatch(f -> f.title().startsWith("Likely")));
    }

    @Test
    void negative_aRingTheJvmsOwnSearchWouldHaveFoundIsNoLikelyDeadlock() {
        // shared-catalog, dumped without -l: browser-1 waits on its way into a read lock (only a writer, the lock's
        // exclusive owner, can hold it up) and cashier-2 for a fair ReentrantLock, both from lambdas of one class, so
        // each is a candidate for the other's hidden owner. HotSpot searched for deadlocks over both kinds of owner,
        // as it does with or without -l, and printed none: that ring is none.
        Path dump = Dumps.sample("jdk25/shared-catalog.nolocks.txt");
        Snapshot s = Dumps.readOne(dump);
        assertTrue(s.deadlockSearch().shown());
        assertTrue(s.reportedDeadlocks().isEmpty());
        assertFalse(s.synchronizerOwners().shown());
        io.lockscope.graph.LockGraph g = io.lockscope.graph.LockGraph.of(s);
        io.lockscope.graph.Wait read = g.waits().stream().filter(w -> g.thread(w.thread()).name().equals("browser-1"))
                .findFirst().orElseThrow();
        assertTrue(HiddenOwners.asksForReadLock(g, read));
        assertTrue(g.waits().stream().anyMatch(w -> g.thread(w.thread()).name().equals("cashier-2")
                && w.kind() == io.lockscope.model.LockKind.EXCLUSIVE));
        assertTrue(Dumps.findings("deadlock", dump).stream().noneMatch(f -> f.threads().contains("browser-1")),
                Dumps.findings("deadlock", dump).toString());
        // a JSON dump, JDK 5's jstack and the Serviceability Agent's dump carry no such search over java.util.concurrent locks
        assertFalse(Dumps.readOne(Dumps.sample("jdk25/shared-catalog.json")).deadlockSearch().shown());
        assertFalse(Dumps.readOne(Dumps.corpus("jstack/tda-jdk5-64bit-small.txt")).deadlockSearch().shown());
        assertFalse(Dumps.readOne(Dumps.sample("jdk17/contention.jhsdb.txt")).deadlockSearch().shown());
    }

    @Test
    void negative_aLockCaughtBeingHandedOverHasNoHiddenOwnerToCloseARing() {
        // the same dump: curator waits for the write lock, cashier-2 for the fair ReentrantLock, and each could be
        // the other's hidden owner; but cashier-1 is inside ReentrantLock.unlock, called from the very code
        // cashier-2 locks it from. The fair lock was released an instant ago: nobody holds it, and no ring runs
        // through it (a warning here before; 9 of 30 dumps in a row of this scenario on JDK 25, 2 of 30 on JDK 17)
        Path dump = Dumps.sample("jdk25/shared-catalog.nolocks.txt");
        io.lockscope.graph.LockGraph g = io.lockscope.graph.LockGraph.of(Dumps.readOne(dump));
        io.lockscope.graph.Wait fair = g.waits().stream().filter(w -> g.thread(w.thread()).name().equals("cashier-2"))
                .findFirst().orElseThrow();
        assertTrue(HiddenOwners.ownerHidden(g, fair), "without -l, the dump cannot name the fair lock's owner");
        assertTrue(g.handedOver(fair.lock().id()), "cashier-1 is releasing it");
        assertTrue(g.waits().stream().anyMatch(w -> g.thread(w.thread()).name().equals("curator")), "curator waits");
        assertTrue(HiddenOwners.likelyRings(g).isEmpty(), HiddenOwners.likelyRings(g).toString());
        assertTrue(Dumps.findings("deadlock", dump).isEmpty(), Dumps.findings("deadlock", dump).toString());
        // a ring whose locks nobody releases is still found without -l: three-kinds, dumped the same way
        assertEquals(Severity.WARNING, RuleTestSupport.only(Dumps.findings("deadlock", Dumps.sample("jdk25/three-kinds.nolocks.txt"))).severity());
    }
}
