package io.lockscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.input.InputFormat;
import io.lockscope.analyzer.input.InputReport;
import io.lockscope.analyzer.input.InputStatus;
import io.lockscope.engine.Finding;
import io.lockscope.engine.Severity;
import io.lockscope.model.JvmThread;
import io.lockscope.model.Snapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Services hand out thread dumps their libraries print: the {@code /stacks} page of a Hadoop, HBase
 * or Hive daemon (Hadoop's ReflectionUtils.printThreadInfo, which its daemons also write to their
 * logs), a Dropwizard application's admin {@code /threads} (Metrics' ThreadDump) and Tomcat's
 * Manager ({@code /manager/text/threaddump}, Tomcat's Diagnostics, fetched twice into one file).
 * capture.sh's run_frameworks has the libraries dump a scenario's JVM (frameworks/FrameworkDumps.java), then
 * takes jcmd's dump of the same JVM ({@code .frameworks-jcmd.txt}): what each library shows must
 * give what jcmd's dump gives, and what it prints wrongly must not be believed.
 */
class FrameworkDumpsTest {

    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({"jdk17, hadoop-stacks, HADOOP_STACKS, 1 dump", "jdk25, hadoop-stacks, HADOOP_STACKS, 1 dump",
        "jdk17, dropwizard-threads, DROPWIZARD_THREADS, 1 dump", "jdk25, dropwizard-threads, DROPWIZARD_THREADS, 1 dump",
        "jdk17, tomcat-threaddump, TOMCAT_THREADDUMP, 2 dumps", "jdk25, tomcat-threaddump, TOMCAT_THREADDUMP, 2 dumps"})
    void eachLibrarysDumpIsReadAsWhatItIs(String jdk, String kind, InputFormat format, String message) {
        for (String scenario : List.of("monitor-deadlock", "reentrantlock-deadlock", "dead-owner", "healthy-busy", "waiting-holder",
                "handler-churn")) {
            Path file = Dumps.sample(jdk + "/" + scenario + "." + kind + ".txt");
            InputReport input = Dumps.report(file);
            assertEquals(format, input.format(), file.toString());
            assertEquals(InputStatus.READ, input.status(), input.message());
            assertEquals(message, input.message(), file.toString());
            Snapshot s = Dumps.read(file).get(0);
            assertEquals(kind, s.format());
            if (scenario.equals("healthy-busy") || scenario.equals("handler-churn")) {
                continue; // their threads run on between one dump and the next
            }
            // the scenario's threads, in the states and with the frames jcmd's dump of the same JVM shows
            Snapshot jcmd = Dumps.readOne(Dumps.sample(jdk + "/" + scenario + ".frameworks-jcmd.txt"));
            Dumps.sameScenarioThreads(jcmd, s, false);
        }
    }

    /**
     * Metrics' ThreadDump prints "- waiting on" and then "- locked" of the same lock above the stack
     * of every thread that waits, parked or in Object.wait(): read as it is printed, each of them
     * would hold the lock it waits for, and a parked one would be its lock's owner and its own waiter.
     * The healthy pool has such threads (a queue's consumers, a timer, the JVM's own) and nothing wrong.
     */
    @ParameterizedTest(name = "{0}/healthy-busy.{1}")
    @CsvSource({"jdk17, hadoop-stacks", "jdk25, hadoop-stacks", "jdk17, dropwizard-threads", "jdk25, dropwizard-threads",
        "jdk17, tomcat-threaddump", "jdk25, tomcat-threaddump"})
    void aHealthyPoolShowsNothingWrong(String jdk, String kind) {
        Path file = Dumps.sample(jdk + "/healthy-busy." + kind + ".txt");
        Snapshot s = Dumps.read(file).get(0);
        long waiting = s.threads().stream().filter(t -> !Dumps.waitedFor(t).isEmpty()).count();
        // Hadoop's names no lock of a timed wait
        assertTrue(waiting >= (kind.equals("hadoop-stacks") ? 3 : 5), "threads that wait for a lock: " + waiting);
        for (JvmThread t : s.threads()) {
            Set<String> held = Dumps.held(t);
            for (String lock : Dumps.waitedFor(t)) {
                assertFalse(held.contains(lock), t.name() + " holds the lock it waits for: " + lock);
            }
        }
        Analysis.Result r = Dumps.analyze(file);
        assertEquals(List.of(), r.outcome().findings().stream().map(Finding::title).toList());
    }

    /**
     * A thread that ended holding a ReentrantLock: Metrics' dump names it as the owner its waiters are
     * parked behind ("owned by ingest-worker-1 id=12") and does not list it, and finds it dead
     * (DeadOwnerInEveryRenderingTest). Hadoop's never names the owner of a java.util.concurrent
     * lock, so it cannot tell, and says why.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"jdk17", "jdk25"})
    void hadoopsDumpCannotTellAnOwnerThatEnded(String jdk) {
        Path hadoop = Dumps.sample(jdk + "/dead-owner.hadoop-stacks.txt");
        Analysis.Result r = Dumps.analyze(hadoop);
        assertEquals(List.of(), r.outcome().findings().stream().map(Finding::title).toList());
        String reason = r.outcome().notApplicable().getOrDefault(r.jvms().get(0).id(), Map.of()).get("orphaned-lock");
        assertTrue(reason != null && reason.contains("a thread dump taken with -l"), String.valueOf(reason));
    }

    /**
     * settings-loader waits on a monitor while it holds the registry three readers need, and
     * cache-refresher on a latch while it holds the lock two readers are parked for. Metrics' dump
     * leaves out the monitor each thread took last, which is the registry here (the signal was let go
     * by wait()): the holder is known from its waiters' "owned by". Hadoop's shows no lock held at
     * all: the registry's holder is known from "Blocked by", and the ReentrantLock's not at all.
     */
    @ParameterizedTest(name = "{0}/waiting-holder.{1}")
    @CsvSource({"jdk17, hadoop-stacks, 1", "jdk25, hadoop-stacks, 1", "jdk17, dropwizard-threads, 2", "jdk25, dropwizard-threads, 2",
        "jdk17, frameworks-jcmd, 2", "jdk25, frameworks-jcmd, 2"})
    void holdersThatWaitWhileOthersWaitForThem(String jdk, String kind, int holders) {
        List<Finding> found = Dumps.findings("blocking-while-holding", Dumps.sample(jdk + "/waiting-holder." + kind + ".txt"));
        assertEquals(holders, found.size(), () -> found.stream().map(Finding::title).toList().toString());
        Finding settings = found.stream().filter(f -> f.title().startsWith("settings-loader ")).findFirst().orElseThrow();
        assertEquals(Set.of("settings-loader", "settings-reader-1", "settings-reader-2", "settings-reader-3"), Set.copyOf(settings.threads()));
        assertTrue(settings.title().startsWith("settings-loader waits in Object.wait() on <"), settings.title());
        assertTrue(settings.title().contains("(a Scenario$ReloadSignal) while holding Scenario$SettingsRegistry <"), settings.title());
        if (holders == 2) {
            Finding cache = found.stream().filter(f -> f.title().startsWith("cache-refresher ")).findFirst().orElseThrow();
            assertEquals(Set.of("cache-refresher", "cache-reader-1", "cache-reader-2"), Set.copyOf(cache.threads()));
            assertTrue(cache.title().contains("(a java.util.concurrent.CountDownLatch$Sync)"), cache.title());
            assertTrue(cache.title().contains(" while holding ReentrantLock$NonfairSync <"), cache.title());
        }
    }

    /**
     * A daemon logs the same dump among its other lines (Hadoop's logThreadInfo, the logger's prefix
     * on its first line only), here after 800 lines of its own, past where the format is told from
     * the file's start, and again three seconds later. All those lines are as long as each other,
     * which is no sign of lines broken at a width. The two dumps are one JVM's, at the times they
     * were written, and the holder that has not moved between them is a stuck owner too. In a pod's
     * log every line has the runtime's prefix besides ("2026-12-07T18:53:38.024541Z stdout F "),
     * learned from the dump's second line and taken off.
     */
    @ParameterizedTest(name = "{0}/waiting-holder.{1}")
    @CsvSource({"jdk17, hadoop-daemon.log.gz, ''", "jdk25, hadoop-daemon.log.gz, ''",
        "jdk17, hadoop-pod.log.gz, '; read past a log''s prefix on each line (\"\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z stdout F\")'",
        "jdk25, hadoop-pod.log.gz, '; read past a log''s prefix on each line (\"\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z stdout F\")'"})
    void theDumpsInADaemonsLog(String jdk, String kind, String note) {
        Path log = Dumps.sample(jdk + "/waiting-holder." + kind);
        Dumps.readWholeAs(log, "2 dumps" + note.replace("(", "\\(").replace(")", "\\)"));
        List<Snapshot> dumps = Dumps.read(log);
        assertEquals(List.of("hadoop-stacks", "hadoop-stacks"), dumps.stream().map(Snapshot::format).toList());
        assertTrue(dumps.get(0).label().endsWith("#stacks-1") && dumps.get(1).label().endsWith("#stacks-2"), dumps.get(1).label());
        assertEquals(Dumps.read(Dumps.sample(jdk + "/waiting-holder.hadoop-stacks.txt")).get(0).threads().size(),
                dumps.get(0).threads().size());
        long apart = java.time.Duration.between(dumps.get(0).time().orElseThrow(), dumps.get(1).time().orElseThrow()).toMillis();
        assertTrue(apart >= 2500 && apart < 3500, apart + " ms");
        Set<String> waiting = Set.of("settings-loader", "settings-reader-1", "settings-reader-2", "settings-reader-3");
        Finding blocking = Dumps.only(Dumps.findings("blocking-while-holding", log));
        assertEquals(waiting, Set.copyOf(blocking.threads()));
        assertEquals(2, blocking.dumps(), blocking.title());
        Finding stuck = Dumps.only(Dumps.findings("stuck-owner", log));
        assertEquals(waiting, Set.copyOf(stuck.threads()));
        assertTrue(stuck.title().startsWith("settings-loader held Scenario$SettingsRegistry <") && stuck.title().contains(" across 2 dumps"),
                stuck.title());
    }

    /**
     * A daemon's log copied while its second dump was being written: cut after the second dump's
     * third thread. The first dump is whole; the second is kept as far as it goes, and the file is
     * partial, for the dump announced more threads than it lists. (Read as a log, this went unsaid.)
     */
    @ParameterizedTest(name = "{0}/waiting-holder.{1}")
    @CsvSource({"jdk17, hadoop-daemon.log.gz", "jdk25, hadoop-daemon.log.gz", "jdk17, hadoop-pod.log.gz"})
    void aDaemonsLogCutInItsSecondDump(String jdk, String kind, @TempDir Path dir) throws IOException {
        Path log = Dumps.sample(jdk + "/waiting-holder." + kind);
        List<String> lines;
        try (java.io.InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(log))) {
            lines = List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
        }
        int second = -1;
        for (int i = 0, starts = 0; starts < 2; i++) {
            if (lines.get(i).contains("Process Thread Dump: ")) {
                starts++;
                second = i;
            }
        }
        int cut = second;
        for (int seen = 0; seen < 4; cut++) {
            seen += lines.get(cut + 1).contains("Thread ") && lines.get(cut + 1).endsWith(":") ? 1 : 0;
        }
        byte[] kept = (String.join("\n", lines.subList(0, cut)) + "\n").getBytes(StandardCharsets.UTF_8);
        Path damaged = Dumps.cutShort(kept, dir, "2 dumps; .*the dump at line " + (second + 1) + " lists 3 of the \\d+ threads it "
                + "announces, then the file ends: cut short, the last dump kept as far as it goes");
        List<Snapshot> dumps = Dumps.read(damaged);
        assertEquals(Dumps.read(log).get(0).threads().size(), dumps.get(0).threads().size());
        assertEquals(3, dumps.get(1).threads().size());
    }

    /**
     * Hadoop's dump asks ThreadMXBean for one thread at a time, and twelve threads hand the region lock
     * around every third of a millisecond: its waiters name several owners (capture.sh took the dump
     * again until they did), and some owner was itself seen blocked on the lock before a waiter asked
     * later named it. Read as one instant, that is a deadlock of threads waiting for each other on one
     * monitor and owners waiting for their own lock. It is a hot lock with one owner, the one the
     * waiter asked last names, as jcmd's dump of the same JVM shows a hot lock.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"jdk17", "jdk25"})
    void aHotLockThatChangedHandsWhileHadoopAsked(String jdk) throws IOException {
        Path file = Dumps.sample(jdk + "/handler-churn.hadoop-stacks.txt");
        List<String> blockedBy = Files.readAllLines(file).stream().filter(l -> l.startsWith("  Blocked by ")).toList();
        assertTrue(Set.copyOf(blockedBy).size() >= 2, "the waiters name two owners or more: " + blockedBy);
        String last = blockedBy.get(blockedBy.size() - 1);
        String lastOwner = last.substring(last.indexOf('(') + 1, last.length() - 1);
        Analysis.Result r = Dumps.analyze(file);
        Finding f = Dumps.only(r.outcome().findings());
        assertEquals("contention-hotspot", f.rule());
        assertEquals(Severity.WARNING, f.severity());
        assertTrue(f.title().matches("\\d+ threads wait for Scenario\\$RegionLock <[0-9a-f]+>, held by " + lastOwner), f.title());
        for (JvmThread t : Dumps.readOne(file).threads()) {
            Set<String> held = Dumps.held(t);
            assertTrue(Dumps.waitedFor(t).stream().noneMatch(held::contains), t.name() + " holds the lock it waits for");
        }
        Finding jcmd = Dumps.only(Dumps.findings("contention-hotspot", Dumps.sample(jdk + "/handler-churn.frameworks-jcmd.txt")));
        assertTrue(jcmd.title().matches("\\d+ threads wait for Scenario\\$RegionLock <0x[0-9a-f]+>, held by rpc-handler-\\d+"), jcmd.title());
        assertEquals(List.of("contention-hotspot"), Dumps.analyze(Dumps.sample(jdk + "/handler-churn.frameworks-jcmd.txt"))
                .outcome().findings().stream().map(Finding::rule).toList());
    }

    /**
     * Tomcat's Manager fetched twice into one file, two seconds apart: one JVM's two dumps, at the
     * times Tomcat wrote above them, with each thread's CPU time. A holder that waits with the lock
     * in both is stuck, and has used no CPU in between; the owner that ended holding a lock is an
     * orphan's owner, not a stuck one, whatever the number of dumps.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"jdk17", "jdk25"})
    void tomcatsDumpsFetchedTwice(String jdk) {
        Path file = Dumps.sample(jdk + "/waiting-holder.tomcat-threaddump.txt");
        List<Snapshot> dumps = Dumps.read(file);
        long apart = java.time.Duration.between(dumps.get(0).time().orElseThrow(), dumps.get(1).time().orElseThrow()).toMillis();
        assertTrue(apart >= 2000 && apart < 2100, apart + " ms");
        assertTrue(Dumps.thread(dumps.get(1), "settings-reader-1").cpuMicros().isPresent());
        assertEquals(1, Dumps.analyze(file).jvms().size());
        List<Finding> stuck = Dumps.findings("stuck-owner", file);
        assertEquals(Set.of("settings-loader", "cache-refresher"), stuck.stream().map(f -> f.threads().get(0)).collect(Collectors.toSet()));
        for (Finding f : stuck) {
            assertTrue(f.title().contains(" across 2 dumps without moving (0.0 ms of CPU in between)"), f.title());
        }
        assertEquals(2, Dumps.findings("blocking-while-holding", file).size());

        Path dead = Dumps.sample(jdk + "/dead-owner.tomcat-threaddump.txt");
        Finding orphan = Dumps.only(Dumps.analyze(dead).outcome().findings());
        assertEquals("orphaned-lock", orphan.rule());
        assertTrue(orphan.title().contains(" held by dead thread ingest-worker-1 #"), orphan.title());
        assertEquals(2, orphan.dumps());
    }

    /** A Hadoop dump cut short (a download that broke off): the threads before the cut are kept, and it says so. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"jdk17", "jdk25"})
    void aHadoopDumpCutShort(String jdk, @TempDir Path dir) throws IOException {
        List<String> lines = Files.readAllLines(Dumps.sample(jdk + "/monitor-deadlock.hadoop-stacks.txt"));
        // cut before the third thread
        int cut = 0;
        for (int seen = 0; seen < 3; cut++) {
            seen += lines.get(cut + 1).startsWith("Thread ") ? 1 : 0;
        }
        byte[] kept = (String.join("\n", lines.subList(0, cut)) + "\n").getBytes(StandardCharsets.UTF_8);
        Path damaged = Dumps.cutShort(kept, dir, "1 dump; the dump at line 1 lists 2 of the \\d+ threads it announces, "
                + "then the file ends: cut short, the last dump kept as far as it goes");
        assertEquals(2, Dumps.readOne(damaged).threads().size());
    }

    /**
     * The Manager's page asked for in Japanese: Tomcat titles the dump in the page's language
     * ("完全なスレッドダンプ OpenJDK 64-Bit Server VM (...)"). The dump is told by its time line, the
     * VM by its name, and the JVM's deadlocked threads printed again after the dump are not read twice.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"jdk17, 17.0.15", "jdk25, 25.0.3"})
    void tomcatsPageAskedInJapanese(String jdk, String version) {
        Path file = Dumps.sample(jdk + "/monitor-deadlock.tomcat-threaddump-ja.txt");
        InputReport input = Dumps.report(file);
        assertEquals(InputFormat.TOMCAT_THREADDUMP, input.format());
        assertEquals("1 dump", input.message());
        Snapshot s = Dumps.readOne(file);
        assertTrue(s.jvm().vmVersion().orElseThrow().startsWith("OpenJDK 64-Bit Server VM " + version), s.jvm().vmVersion().toString());
        assertTrue(s.time().isPresent());
        Snapshot english = Dumps.read(Dumps.sample(jdk + "/monitor-deadlock.tomcat-threaddump.txt")).get(0);
        assertEquals(english.threads().stream().map(JvmThread::name).sorted().toList(), s.threads().stream().map(JvmThread::name).sorted().toList());
        Finding f = Dumps.only(Dumps.findings("deadlock", file));
        assertEquals(Severity.ERROR, f.severity());
        assertEquals(Set.of("stocker", "auditor", "closer"), Set.copyOf(f.threads()));
    }

    /** Tomcat's two dumps cut short in the middle of a line of the second: both kept, and it says so. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"jdk17", "jdk25"})
    void tomcatsDumpsCutShort(String jdk, @TempDir Path dir) throws IOException {
        byte[] whole = Files.readAllBytes(Dumps.sample(jdk + "/waiting-holder.tomcat-threaddump.txt"));
        int cut = whole.length * 3 / 4;
        while (whole[cut] == '\n' || whole[cut] == '\r' || whole[cut - 1] == '\n') {
            cut++;
        }
        Path damaged = Dumps.cutShort(java.util.Arrays.copyOf(whole, cut), dir,
                "2 dumps; the last dump breaks off in its last line \\(\\d+\\): cut short, the last dump kept as far as it goes");
        List<Snapshot> dumps = Dumps.read(damaged);
        assertEquals(2, dumps.size());
        assertEquals(Dumps.read(Dumps.sample(jdk + "/waiting-holder.tomcat-threaddump.txt")).get(0).threads().size(), dumps.get(0).threads().size());
    }

    /** Metrics' dump cut short in a frame line of the deadlocked threads (a download that broke off): what came before is kept, and it says so. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"jdk17", "jdk25"})
    void aMetricsDumpCutShort(String jdk, @TempDir Path dir) throws IOException {
        String whole = Files.readString(Dumps.sample(jdk + "/monitor-deadlock.dropwizard-threads.txt"));
        int cut = whole.indexOf("at app//Scenario.nested", whole.indexOf("\"auditor\"")) + 10;
        Path damaged = Dumps.cutShort(whole.substring(0, cut).getBytes(StandardCharsets.UTF_8), dir,
                "1 dump; the dump breaks off in its last line \\(\\d+\\): cut short, the last dump kept as far as it goes");
        List<String> read = Dumps.readOne(damaged).threads().stream().map(JvmThread::name).toList();
        // threads come last-started first: closer, then auditor, whose stack the cut ends
        assertEquals(List.of("framework-dump", "closer", "auditor"), read.subList(0, 3));
    }
}
