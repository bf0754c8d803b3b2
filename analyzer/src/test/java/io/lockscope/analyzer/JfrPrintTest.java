package io.lockscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.engine.Severity;
import io.lockscope.model.JvmThread;
import io.lockscope.model.Snapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The thread dumps a recording took (its jdk.ThreadDump events), as the JDK's {@code jfr} tool prints
 * them: {@code jfr print --events jdk.ThreadDump} (HotSpot's text inside the event's lines) and
 * {@code jfr print --json} of the whole recording (each dump a JSON string among every other event).
 * The test runs the tool of the JDK that runs it on our sample recordings, and reads what it printed
 * against the dumps read from the recording itself.
 */
class JfrPrintTest {

    @ParameterizedTest(name = "{0}/{1} {2}")
    @CsvSource({
        "jdk17, monitor-deadlock, --json", "jdk25, monitor-deadlock, --json", "jdk17, monitor-deadlock, --events jdk.ThreadDump",
        "jdk17, three-kinds, --json", "jdk25, three-kinds, --events jdk.ThreadDump"})
    void theRecordingsDumpsAsJfrPrintsThem(String jdk, String scenario, String how, @TempDir Path dir) throws Exception {
        Path recording = Dumps.sample(jdk + "/" + scenario + ".jfr");
        Path printed = jfrPrint(recording, how, dir);
        String message = how.equals("--json")
                ? "2 dumps; jfr print --json of a recording, read from its jdk.ThreadDump events' \"result\" \\(line numbers are the "
                        + "dumps' in them\\)"
                : "2 dumps";
        Dumps.readWholeAs(printed, message);
        List<Snapshot> fromPrint = Dumps.read(printed);
        List<Snapshot> fromRecording = Dumps.read(recording).stream().filter(s -> !s.threads().isEmpty()).toList();
        assertEquals(fromRecording.size(), fromPrint.size());
        for (int i = 0; i < fromPrint.size(); i++) {
            // the event's time, and the dump's own (to the second, local time read as UTC, as every HotSpot dump's is)
            assertEquals(fromRecording.get(i).time().orElseThrow().getEpochSecond(), fromPrint.get(i).time().orElseThrow().getEpochSecond(),
                    "dump " + (i + 1));
            assertEquals(names(fromRecording.get(i)), names(fromPrint.get(i)), "dump " + (i + 1));
        }
        // the deadlock, as the recording's own dumps give it: certain among monitors, likely where a ReentrantLock's
        // owner is not shown (the event's dump is Thread.print without -l)
        assertEquals(Dumps.only(Dumps.findings("deadlock", recording)).title(), Dumps.only(Dumps.findings("deadlock", printed)).title());
        assertEquals(scenario.equals("monitor-deadlock") ? Severity.ERROR : Severity.WARNING,
                Dumps.only(Dumps.findings("deadlock", printed)).severity());
    }

    /** {@code jfr print --json} cut short in its second dump (a copy that broke off): the first dump whole, the second to the cut. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"jdk17", "jdk25"})
    void aPrintCutShortKeepsWhatItHolds(String jdk, @TempDir Path dir) throws Exception {
        Path printed = jfrPrint(Dumps.sample(jdk + "/monitor-deadlock.jfr"), "--json", dir);
        String whole = Files.readString(printed);
        int second = whole.indexOf("Full thread dump", whole.indexOf("Full thread dump") + 1);
        int cut = whole.indexOf("\\\"auditor\\\"", second) + 40;
        Path damaged = dir.resolve("cut.json");
        Files.writeString(damaged, whole.substring(0, cut));
        List<Snapshot> full = Dumps.read(printed);
        List<Snapshot> kept = Dumps.read(damaged);
        assertEquals(2, kept.size());
        assertEquals(names(full.get(0)), names(kept.get(0)));
        assertTrue(kept.get(1).threads().size() < full.get(1).threads().size(), kept.get(1).threads().size() + " threads");
        assertTrue(kept.get(1).threads().stream().anyMatch(t -> t.name().equals("auditor")));
    }

    /**
     * Where JAVA_TOOL_OPTIONS is set (most containers set it), every Java tool says so first on its
     * standard error: {@code Picked up JAVA_TOOL_OPTIONS: -Xmx256m}. With both streams in one file
     * ({@code jfr print --json rec.jfr > dumps.json 2>&1}) that line stands before the JSON, which
     * was then no JSON: the file was skipped. It is passed over, and the dumps read as without it.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"jdk17", "jdk25"})
    void aToolsNoticeBeforeTheJsonIsPassedOver(String jdk, @TempDir Path dir) throws Exception {
        Path recording = Dumps.sample(jdk + "/monitor-deadlock.jfr");
        Path clean = jfrPrint(recording, "--json", dir);
        Path jfr = Path.of(System.getProperty("java.home"), "bin", "jfr");
        Path both = dir.resolve("both.json");
        ProcessBuilder b = new ProcessBuilder(jfr.toString(), "print", "--json", recording.toString())
                .redirectErrorStream(true).redirectOutput(both.toFile());
        b.environment().put("JAVA_TOOL_OPTIONS", "-Xmx256m");
        Process p = b.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "jfr print ran on");
        assertTrue(Files.readString(both).startsWith("Picked up JAVA_TOOL_OPTIONS: -Xmx256m"), "the tool's notice first");

        Dumps.readWholeAs(both, "2 dumps; lines of text before the JSON passed over \\(line numbers are the JSON's\\); jfr print --json .*");
        List<Snapshot> plain = Dumps.read(clean);
        List<Snapshot> noticed = Dumps.read(both);
        assertEquals(plain.size(), noticed.size());
        for (int i = 0; i < plain.size(); i++) {
            assertEquals(names(plain.get(i)), names(noticed.get(i)), "dump " + (i + 1));
        }
        assertEquals(Dumps.only(Dumps.findings("deadlock", clean)).title(), Dumps.only(Dumps.findings("deadlock", both)).title());
    }

    private static List<String> names(Snapshot s) {
        return s.threads().stream().map(t -> t.name() + " " + t.state()).sorted().toList();
    }

    /** What the JDK's jfr tool prints of the recording, in a file. */
    private static Path jfrPrint(Path recording, String how, Path dir) throws IOException, InterruptedException {
        Path jfr = Path.of(System.getProperty("java.home"), "bin", "jfr");
        assertTrue(Files.isExecutable(jfr), "the JDK's jfr tool: " + jfr);
        List<String> command = new ArrayList<>(List.of(jfr.toString(), "print"));
        command.addAll(List.of(how.split(" ")));
        command.add(recording.toString());
        Path out = dir.resolve("printed" + (how.equals("--json") ? ".json" : ".txt"));
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "jfr print ran on");
        assertEquals(0, p.exitValue());
        return out;
    }
}
