package io.lockscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.input.InputReport;
import io.lockscope.analyzer.input.InputStatus;
import io.lockscope.model.Snapshot;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One damaged or foreign line in a real dump, of the kinds an incident's files carry: a line of
 * another tool's pasted in (an Arthas prompt, a javacore's tag, JRockit's banner), a name's quote
 * left alone, a megabyte of garbage where a log's writer broke. Such a line must not take the file
 * from its reader, crash it, or hold it for minutes: the copy reads as the file does, with the
 * same dumps, threads and findings.
 *
 * <p>The timeout is no measure of speed: reading each copy takes well under a second, and each
 * of the long lines below held the reader for over a minute before the detector's and the
 * header's patterns stopped backtracking on them.
 */
class StrayLineTest {

    @TempDir
    Path dir;

    /** Real dumps of every text format, from our scenarios and the corpus, each with a finding to keep. */
    private static final List<String> FILES = List.of(
            "sample:jdk17/dead-owner.txt",
            "sample:jdk17/dead-owner.actuator.txt",
            "sample:jdk17/dead-owner.tomcat-threaddump.txt",
            "sample:jdk17/dead-owner.dropwizard-threads.txt",
            "sample:jdk17/monitor-deadlock.hadoop-stacks.txt",
            "sample:jdk17/waiting-holder.hadoop-daemon.log.gz",
            "sample:jdk17/dead-owner.threadinfo.txt",
            "sample:jdk17/monitor-deadlock.arthas-threads.txt",
            "sample:jdk17/dead-owner.ignite.log.gz",
            "sample:jdk25/queued-deadlock.dump-to-file.txt",
            "corpus:jstack/samurai-springboot-actuator-text-jdk17.txt",
            "corpus:jstack/samurai-jdk11.0.12-monitor-deadlock-3dumps.txt",
            "corpus:javacore/jca-ibmjava8sr6fp15-jazz-rrwlock-monitor-deadlock.javacore.txt.gz",
            "corpus:jrockit/samurai-jrockit-R26.0-wls910-log-deadlock-blocked-chains-4dumps.txt",
            "corpus:anr/sentry-android13-emu-main-blocked-held-by-thread-5.txt");

    /** What is put in: a line, or (for the long ones) three of it, as a broken writer repeats itself. */
    private static final List<String> STRAYS = List.of(
            "[arthas@4711]$ thread -n 3",
            "0SECTION       TITLE subcomponent dump routine",
            "===== FULL THREAD DUMP ===============",
            "\"   ",
            "long:\" ",
            "long:\" Id=1 A owned by \"");

    static Stream<Arguments> copies() {
        // in Arthas's output its prompt is no stray: it begins a listing
        return FILES.stream().flatMap(f -> STRAYS.stream().filter(s -> !(f.contains("arthas") && s.startsWith("[arthas@")))
                .map(s -> Arguments.of(f, s)));
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("copies")
    @Timeout(60)
    void aStrayLineChangesNothingThatIsRead(String file, String stray) throws Exception {
        Path original = file.startsWith("sample:") ? Dumps.sample(file.substring(7)) : Dumps.corpus(file.substring(7));
        Path copy = withStrayLine(original, stray);

        InputReport clean = Dumps.report(original);
        InputReport damaged = Dumps.report(copy);
        assertEquals(InputStatus.READ, clean.status(), clean.message());
        assertEquals(clean.format(), damaged.format(), damaged.message());
        assertEquals(clean.snapshots(), damaged.snapshots(), damaged.message());
        assertTrue(damaged.status() == InputStatus.READ || damaged.status() == InputStatus.PARTIAL, damaged.message());

        List<Snapshot> before = Dumps.read(original);
        List<Snapshot> after = Dumps.read(copy);
        for (int i = 0; i < before.size(); i++) {
            assertEquals(names(before.get(i)), names(after.get(i)), "the threads of dump " + (i + 1));
        }
        Set<String> found = findings(original);
        assertFalse(found.isEmpty(), "the file has findings to keep");
        assertEquals(found, findings(copy));
    }

    /** The lines that other threads of the JVM write into its standard output while it prints a dump there. */
    private static final List<String> LOG_LINES = List.of(
            "2026-12-08 00:51:08.123  INFO 4711 --- [nio-8080-exec-3] c.e.demo.OrderController : handled order 42 in 12 ms",
            "[GC (Allocation Failure)  524800K->12345K(2010112K), 0.0123456 secs]");

    /**
     * The dumps a JVM prints to its own standard output: HotSpot's and JRockit's on SIGQUIT (JRockit's
     * in WebLogic's log), a javacore sent there with {@code -Xdump:java:file=/STDOUT/}. (The others
     * come from a web page, a tool's session, or a logger that writes the dump as one message.)
     */
    static Stream<Arguments> interleaved() {
        return Stream.of(
                "sample:jdk17/dead-owner.txt",
                "sample:jdk25/reentrantlock-deadlock.txt",
                "corpus:jstack/samurai-jdk11.0.12-monitor-deadlock-3dumps.txt",
                "corpus:javacore/jca-ibmjava8sr6fp15-jazz-rrwlock-monitor-deadlock.javacore.txt.gz",
                "corpus:jrockit/samurai-jrockit-R26.0-wls910-log-deadlock-blocked-chains-4dumps.txt",
                // JRockit's lock chains, whose title and underline a log line may come between
                "corpus:jrockit/samurai-jrockit-R24.4-wls814-log-deadlock-blocked-chains-4dumps.txt",
                "corpus:jrockit/samurai-jrockit81sp3-wls-string-lock-blocked-open-chains-3dumps.txt")
                .flatMap(f -> LOG_LINES.stream().map(l -> Arguments.of(f, l)));
    }

    /**
     * A dump sent with {@code kill -3} goes to the JVM's standard output, where the application's
     * console logger and the GC log keep writing: their lines land between the dump's, inside
     * thread stacks and lock sections. Each such file with a log line after every third line reads
     * as it does, the same dumps, threads, stacks and findings.
     */
    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("interleaved")
    @Timeout(60)
    void aLogWrittenInBetweenChangesNothingThatIsRead(String file, String log) throws Exception {
        Path original = file.startsWith("sample:") ? Dumps.sample(file.substring(7)) : Dumps.corpus(file.substring(7));
        List<String> lines = lines(original);
        List<String> mixed = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            mixed.add(lines.get(i));
            if (i > 5 && i % 3 == 0 && i < lines.size() - 2) {
                mixed.add(log);
            }
        }
        Path copy = write(original, mixed);

        InputReport clean = Dumps.report(original);
        InputReport damaged = Dumps.report(copy);
        assertEquals(clean.format(), damaged.format(), damaged.message());
        assertEquals(clean.snapshots(), damaged.snapshots(), damaged.message());
        List<Snapshot> before = Dumps.read(original);
        List<Snapshot> after = Dumps.read(copy);
        for (int i = 0; i < before.size(); i++) {
            assertEquals(stacks(before.get(i)), stacks(after.get(i)), "the threads of dump " + (i + 1));
        }
        assertEquals(findings(original), findings(copy));
    }

    /**
     * A JSON dump fetched through tools that also speak: {@code kubectl exec pod -- curl
     * .../actuator/threaddump > dump.json 2>&1} puts kubectl's notice of the container it chose
     * first, and a JVM's tool its {@code Picked up JAVA_TOOL_OPTIONS} line. Each JSON format's dump
     * with those two lines before it reads as without them (it was skipped: "text with no HotSpot
     * thread dump").
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"jdk17/dead-owner.actuator.json", "jdk17/dead-owner.boot1-dump.json",
        "jdk17/dead-owner.micronaut-threaddump.json", "jdk17/dead-owner.jolokia-threads.json",
        "jdk17/dead-owner.jolokia-threadprint.json", "jdk25/dead-owner.json"})
    void notesBeforeAJsonDumpArePassedOver(String file) throws Exception {
        Path original = Dumps.sample(file);
        Path copy = dir.resolve(original.getFileName());
        Files.writeString(copy, "Defaulted container \"app\" out of: app, istio-proxy (init)\n"
                + "Picked up JAVA_TOOL_OPTIONS: -XX:MaxRAMPercentage=75\n" + Files.readString(original));

        InputReport clean = Dumps.report(original);
        InputReport noted = Dumps.report(copy);
        assertEquals(clean.format(), noted.format(), noted.message());
        assertEquals(InputStatus.READ, noted.status(), noted.message());
        assertTrue(noted.message().contains("lines of text before the JSON passed over"), noted.message());
        assertEquals(names(Dumps.readOne(original)), names(Dumps.readOne(copy)));
        assertEquals(findings(original), findings(copy));
    }

    /**
     * A WebLogic server's log, as long as a production server's, before its JRockit dumps, in
     * two ways; each corpus log made so reads as it does, as JRockit's.
     * <ul>
     * <li>{@code classpath}: WebLogic's start script prints the server's CLASSPATH on one line
     * before anything else; a production domain's runs to tens of kilobytes, more than
     * detection's first look, and hid the dumps below it (skipped, or read as HotSpot's). The
     * log's own CLASSPATH line is made 96 KB long, its entries repeated.</li>
     * <li>{@code notices}: the dumps come where the server was when someone sent it SIGQUIT,
     * after its own lines of days. The log's own notices are repeated to 80 KB before the first
     * dump, which was then taken for HotSpot's: "1 dump (jstack)" where there are four of
     * JRockit's.</li>
     * </ul>
     */
    @ParameterizedTest(name = "{1}: {0}")
    @org.junit.jupiter.params.provider.CsvSource({
        "jrockit/samurai-jrockit-R24.4-wls814-admin-format-thin-lock-contention-6dumps.txt, classpath",
        "jrockit/samurai-jrockit-R24.4-wls814-log-deadlock-blocked-chains-4dumps.txt, classpath",
        "jrockit/samurai-jrockit-R26.0-wls910-log-deadlock-blocked-chains-4dumps.txt, classpath",
        "logs/samurai-wls910-jrockitR26-console-log-2dumps.txt, classpath",
        "jrockit/samurai-jrockit-R24.4-wls814-log-deadlock-blocked-chains-4dumps.txt, notices",
        "jrockit/samurai-jrockit-R26.0-wls910-log-deadlock-blocked-chains-4dumps.txt, notices",
        "logs/samurai-wls910-jrockitR26-console-log-2dumps.txt, notices"})
    @Timeout(60)
    void aServersLongLogBeforeItsJRockitDumpsDoesNotHideTheirFormat(String file, String how) throws Exception {
        Path original = Dumps.corpus(file);
        List<String> lines = new ArrayList<>(List.of(Files.readString(original, StandardCharsets.ISO_8859_1).split("\n", -1)));
        List<String> longer;
        if (how.equals("classpath")) {
            longer = lines;
            int at = Dumps.lineStartingWith(lines, "CLASSPATH=");
            String classpath = lines.get(at).strip();
            lines.set(at, classpath + (classpath.contains(";") ? ";" : ":")
                    + classpath.substring("CLASSPATH=".length()).repeat((96 << 10) / classpath.length()));
        } else {
            int first = Dumps.lineStartingWith(lines, "===== FULL THREAD DUMP");
            List<String> notices = lines.subList(0, first).stream().filter(l -> l.startsWith("<")).toList();
            assertFalse(notices.isEmpty(), "the server's own lines before its first dump");
            longer = new ArrayList<>(lines.subList(0, first));
            while (String.join("\n", longer).length() < 80 << 10) {
                longer.addAll(notices);
            }
            longer.addAll(lines.subList(first, lines.size()));
        }
        Path copy = Files.writeString(dir.resolve(original.getFileName()), String.join("\n", longer), StandardCharsets.ISO_8859_1);

        InputReport clean = Dumps.report(original);
        InputReport changed = Dumps.report(copy);
        assertEquals(io.lockscope.analyzer.input.InputFormat.JROCKIT, clean.format(), clean.message());
        assertEquals(clean.format(), changed.format(), changed.message());
        assertEquals(clean.snapshots(), changed.snapshots(), changed.message());
        for (int i = 0; i < clean.snapshots(); i++) {
            assertEquals(names(Dumps.read(original).get(i)), names(Dumps.read(copy).get(i)), "the threads of dump " + (i + 1));
        }
        assertEquals(findings(original), findings(copy));
    }

    /** A copy of the file (uncompressed) with the stray line after its 40th line, or a third of the way in if shorter. */
    private Path withStrayLine(Path original, String stray) throws IOException {
        List<String> lines = lines(original);
        List<String> put = new ArrayList<>();
        if (stray.startsWith("long:")) {
            String unit = stray.substring(5);
            String line = unit.repeat((1 << 20) / unit.length());
            put.addAll(List.of(line, line, line));
        } else {
            put.add(stray);
        }
        lines.addAll(Math.min(40, lines.size() / 3), put);
        return write(original, lines);
    }

    /** The file's lines, uncompressed, each byte a character. */
    private static List<String> lines(Path original) throws IOException {
        byte[] raw = Files.readAllBytes(original);
        if (original.toString().endsWith(".gz")) {
            raw = new GZIPInputStream(new ByteArrayInputStream(raw)).readAllBytes();
        }
        return new ArrayList<>(List.of(new String(raw, StandardCharsets.ISO_8859_1).split("\n", -1)));
    }

    private Path write(Path original, List<String> lines) throws IOException {
        String name = original.getFileName().toString().replaceAll("\\.gz$", "");
        return Files.writeString(dir.resolve(name), String.join("\n", lines), StandardCharsets.ISO_8859_1);
    }

    private static List<String> names(Snapshot s) {
        return s.threads().stream().map(t -> t.name()).toList();
    }

    /** Each thread by name, state, frames and the locks at each frame (not the lines they were read from). */
    private static List<String> stacks(Snapshot s) {
        return s.threads().stream().map(t -> t.name() + " " + t.state() + " " + t.frames().stream()
                .map(f -> f.method() + "(" + f.location() + ")" + f.locks().stream().map(l -> l.kind() + " " + l.lock()).toList())
                .toList()).toList();
    }

    private static Set<String> findings(Path file) {
        return Dumps.analyze(file).outcome().findings().stream()
                .map(f -> f.rule() + " " + f.severity() + " " + Set.copyOf(f.threads())).collect(Collectors.toSet());
    }
}
