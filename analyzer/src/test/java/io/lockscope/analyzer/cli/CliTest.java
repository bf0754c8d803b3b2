package io.lockscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.Dumps;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command as a user runs it: exit code, what it prints, what it writes. */
public class CliTest {

    @TempDir
    Path out;

    public record Run(int exit, String out, String err) {
    }

    public static Run run(String... args) {
        CommandLine cl = LockscopeCommand.commandLine();
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        cl.setOut(new PrintWriter(o, true));
        cl.setErr(new PrintWriter(e, true));
        int exit = cl.execute(args);
        return new Run(exit, o.toString(), e.toString());
    }

    @Test
    void deadlockFailsTheBuildWithOneLineSayingWhy() {
        Run r = run("analyze", Dumps.sample("jdk17/monitor-deadlock.txt").toString(), "-o", out.toString(),
                "--format", "json", "--fail-on", "error");
        assertEquals(ExitCode.FINDINGS, r.exit());
        String[] lines = r.err().strip().split("\n");
        assertEquals(1, lines.length, r.err());
        assertTrue(lines[0].startsWith("lockscope: 1 finding at or above error: Deadlock among 3 threads"), lines[0]);
        assertTrue(Files.exists(out.resolve("lockscope-report.json")));
        assertFalse(Files.exists(out.resolve("lockscope-report.html")), "only the formats asked for");
    }

    @Test
    void aDashReadsStandardInput() throws Exception {
        // kubectl logs pod | lockscope analyze -
        java.io.InputStream stdin = System.in;
        try (java.io.InputStream dump = Files.newInputStream(Dumps.sample("jdk17/monitor-deadlock.txt"))) {
            System.setIn(dump);
            Run r = run("analyze", "-", "-o", out.toString(), "--format", "text,json", "--fail-on", "never");
            assertEquals(ExitCode.OK, r.exit(), r.err());
            assertTrue(r.out().contains("Deadlock among 3 threads on monitors: stocker → auditor → closer → stocker"), r.out());
            assertTrue(r.out().contains("1 of 1 input read (1 dump, 1 JVM)"), r.out());
            String json = Files.readString(out.resolve("lockscope-report.json"));
            assertTrue(json.contains("\"path\" : \"(standard input)\""), json.substring(0, 2000));
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void withoutTheTextSummaryStderrStillNamesTheInputsThatWereNotReadWhole() throws Exception {
        byte[] whole = Files.readAllBytes(Dumps.sample("jdk17/dead-owner.txt"));
        Path cut = Files.write(out.resolve("cut.txt"), java.util.Arrays.copyOf(whole, whole.length / 2));
        Path gone = out.resolve("gone.txt");
        Run r = run("analyze", Dumps.sample("jdk17/monitor-deadlock.txt").toString(), cut.toString(), gone.toString(),
                "-o", out.toString(), "--format", "json");
        assertEquals(ExitCode.FINDINGS, r.exit());
        java.util.List<String> lines = r.err().strip().lines().toList();
        assertEquals(3, lines.size(), r.err());
        assertTrue(lines.contains("lockscope: failed " + gone + ": no such file or folder"), r.err());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("lockscope: partial " + cut + ": 1 dump; ")), r.err());
        assertTrue(lines.get(2).startsWith("lockscope: 1 finding at or above error: Deadlock"), lines.get(2));
        // with the summary, the inputs are on stdout, once
        Run text = run("analyze", cut.toString(), gone.toString(), "-o", out.toString(), "--format", "text");
        assertTrue(text.out().contains("failed  " + gone + ": no such file or folder"), text.out());
        assertFalse(text.err().contains(gone.toString()), text.err());
    }

    @Test
    void nothingReadSaysWhichInputsAndWhy() throws Exception {
        Path notes = Files.writeString(out.resolve("notes.txt"), "the JVM hung at 10:42; dumps to follow\n");
        Run r = run("analyze", notes.toString(), "-o", out.toString(), "--format", "sarif");
        assertEquals(ExitCode.NOTHING_READ, r.exit());
        assertTrue(r.err().startsWith("lockscope: skipped " + notes + ": "), r.err());
        assertTrue(r.err().contains("lockscope: no input could be read (1 tried)"), r.err());
    }

    @Test
    void aBaselineThatListsTheDeadlockLetsTheBuildPass() {
        String dump = Dumps.sample("jdk17/monitor-deadlock.txt").toString();
        String baseline = out.resolve("lockscope-baseline.json").toString();
        Run first = run("analyze", dump, "-o", out.toString(), "--format", "json", "--write-baseline", baseline);
        assertEquals(ExitCode.FINDINGS, first.exit(), "writing a baseline still reports");
        Run second = run("analyze", dump, "-o", out.toString(), "--format", "json", "--baseline", baseline, "--fail-on", "error");
        assertEquals(ExitCode.OK, second.exit(), second.err());
        // a new problem is not in the baseline and still fails the build
        Run other = run("analyze", dump, Dumps.sample("jdk17/dead-owner.txt").toString(), "-o", out.toString(),
                "--format", "json", "--baseline", baseline);
        assertEquals(ExitCode.FINDINGS, other.exit());
        assertTrue(other.err().contains("orphaned") || other.err().contains("no live owner"), other.err());
    }

    @Test
    void aBrokenConfigIsAUsageErrorNamingTheKey() throws Exception {
        Path config = Files.writeString(out.resolve("lockscope.yml"), "rules:\n  deadlok:\n    enabled: false\n");
        Run r = run("analyze", Dumps.sample("jdk17/healthy-busy.txt").toString(), "-o", out.toString(), "--config", config.toString());
        assertEquals(ExitCode.USAGE, r.exit());
        assertTrue(r.err().contains("rules.deadlok: no such rule"), r.err());
    }

    @Test
    void configCanTurnARuleDownToInfo() throws Exception {
        Path config = Files.writeString(out.resolve("lockscope.yml"), "rules:\n  deadlock:\n    severity: info\n");
        Run r = run("analyze", Dumps.sample("jdk17/monitor-deadlock.txt").toString(), "-o", out.toString(),
                "--format", "json", "--config", config.toString(), "--fail-on", "warning");
        assertEquals(ExitCode.OK, r.exit(), r.err());
    }

    @Test
    void verboseListsTheInputsWhereverItStandsOnTheCommandLine() {
        String dump = Dumps.sample("jdk17/monitor-deadlock.txt").toString();
        Run quiet = run("analyze", dump, "-o", out.toString(), "--format", "text", "--fail-on", "never");
        Run after = run("analyze", dump, "-o", out.toString(), "--format", "text", "--fail-on", "never", "-v");
        Run before = run("--verbose", "analyze", dump, "-o", out.toString(), "--format", "text", "--fail-on", "never");
        String readLine = "read    " + dump + ": 1 dump (jstack)";
        assertFalse(quiet.out().contains(readLine), quiet.out());
        assertTrue(after.out().contains(readLine), after.out());
        assertTrue(before.out().contains(readLine), before.out());
        // and where the time went, stage by stage
        assertTrue(java.util.regex.Pattern.compile("(?m)^took [0-9.]+ s: reading the inputs [0-9.]+ s, grouping by JVM [0-9.]+ s, "
                + "checking the rules [0-9.]+ s, writing the reports [0-9.]+ s$").matcher(after.out()).find(), after.out());
        assertFalse(quiet.out().contains("took "), quiet.out());
        // every subcommand takes the common options
        assertEquals(ExitCode.OK, run("rules", "--stacktrace", "-v").exit());
        assertEquals(ExitCode.OK, run("explain", "deadlock", "--stacktrace").exit());
    }

    @Test
    void healthyDumpExitsZero() {
        Run r = run("analyze", Dumps.sample("jdk17/healthy-busy.txt").toString(), "-o", out.toString(), "--format", "json");
        assertEquals(ExitCode.OK, r.exit(), r.err());
        assertEquals("", r.err());
    }

    @Test
    void failOnNeverReportsButExitsZero() {
        Run r = run("analyze", Dumps.sample("jdk17/monitor-deadlock.txt").toString(), "-o", out.toString(),
                "--format", "json", "--fail-on", "never");
        assertEquals(ExitCode.OK, r.exit());
    }

    @Test
    void nothingReadableExitsThreeAndStillWritesTheInputsList() throws Exception {
        Path notADump = Files.writeString(out.resolve("notes.txt"), "just some notes\n");
        Run r = run("analyze", notADump.toString(), out.resolve("missing").toString(), "-o", out.toString(), "--format", "json");
        assertEquals(ExitCode.NOTHING_READ, r.exit());
        assertTrue(r.err().contains("no input could be read"), r.err());
        String json = Files.readString(out.resolve("lockscope-report.json"));
        assertTrue(json.contains("no such file or folder"), json);
        assertTrue(json.contains("\"status\" : \"skipped\""), json);
    }

    @Test
    void badUsageExitsTwoWithOneClearLine() {
        Run r = run("analyze", "--format", "pdf", "x");
        assertEquals(ExitCode.USAGE, r.exit());
        assertTrue(r.err().startsWith("lockscope: Invalid value for option '--format'"), r.err());
        Run unknownRule = run("analyze", "--rules", "no-such-rule", Dumps.sample("jdk17/healthy-busy.txt").toString(), "-o", out.toString());
        assertEquals(ExitCode.USAGE, unknownRule.exit());
        assertTrue(unknownRule.err().contains("no rule 'no-such-rule'"), unknownRule.err());
    }

    @Test
    void helpListsExitCodes() {
        Run r = run("analyze", "--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("3  no input could be read"), r.out());
        assertTrue(r.out().contains("--fail-on"), r.out());
        String help = r.out().replaceAll("\\s+", " ");
        for (String format : List.of("jhsdb jstack", "/actuator/threaddump", "Hadoop's /stacks", "Dropwizard's /threads",
                "Tomcat Manager's threaddump", "Spring Boot 1.x's /dump", "Micronaut's /threaddump", "Jolokia's threadPrint", "Arthas's thread listings", "Apache Ignite's dump", "as jfr print shows them", "javacores",
                "JRockit", "Android ANR")) {
            assertTrue(help.contains(format), "names " + format + ": " + r.out());
        }
    }

    @Test
    void rulesListsEveryRuleAndExplainPrintsItsPage() {
        Run rules = run("rules");
        assertEquals(0, rules.exit());
        assertTrue(rules.out().contains("deadlock"), rules.out());
        Run explain = run("explain", "deadlock");
        assertEquals(0, explain.exit());
        assertTrue(explain.out().startsWith("# deadlock"), explain.out());
        Run unknown = run("explain", "nope");
        assertEquals(ExitCode.USAGE, unknown.exit());
        assertTrue(unknown.err().contains("the rules are: blocking-while-holding, contention-hotspot, deadlock, "), unknown.err());
        // one command under two names: "rules ID" is the page, "explain" alone the list
        assertEquals(explain.out(), run("rules", "deadlock").out());
        assertEquals(rules.out(), run("explain").out());
    }
}
