package io.lockscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.input.InputFormat;
import io.lockscope.analyzer.input.InputReport;
import io.lockscope.analyzer.input.InputStatus;
import io.lockscope.engine.Finding;
import io.lockscope.engine.Severity;
import io.lockscope.model.Frame;
import io.lockscope.model.JvmThread;
import io.lockscope.model.Snapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A JVM that jcmd cannot reach (a container without a JDK, a console such as hawtio) can still be
 * asked for its threads over HTTP through the Jolokia agent: HotSpot's own dump through the
 * DiagnosticCommand MBean, as a JSON string in the response's "value"
 * ({@code .jolokia-threadprint.json}), and ThreadMXBean.dumpAllThreads, ThreadInfo objects in its
 * "value" ({@code .jolokia-threads.json}). capture.sh's run_jolokia fetches both from a scenario's
 * JVM started with the agent (jolokia-jvm 1.7.2). Both were "JSON that is not a thread dump" or
 * read as a dump of no thread.
 */
class JolokiaDumpTest {

    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({"jdk17, reentrantlock-deadlock", "jdk25, reentrantlock-deadlock", "jdk17, dead-owner", "jdk25, dead-owner",
        "jdk17, control-names", "jdk25, control-names"})
    void bothAnswersTellWhatTheJvmIsIn(String jdk, String scenario) {
        Path text = Dumps.sample(jdk + "/" + scenario + ".jolokia-threadprint.json");
        Path objects = Dumps.sample(jdk + "/" + scenario + ".jolokia-threads.json");
        InputReport a = Dumps.report(text);
        assertEquals(InputFormat.JSTACK, a.format());
        assertEquals(InputStatus.READ, a.status(), a.message());
        assertEquals("1 dump; Jolokia's JSON response, read from its \"value\" (line numbers are the dump's in it)", a.message());
        InputReport b = Dumps.report(objects);
        assertEquals(InputFormat.JOLOKIA_JSON, b.format());
        assertEquals("1 dump", b.message());
        // two answers, a moment apart, of one JVM whose scenario threads stand still
        Snapshot s = Dumps.readOne(text);
        Snapshot t = Dumps.readWhole(objects, InputFormat.JOLOKIA_JSON);
        assertEquals("jolokia-json", t.format());
        assertTrue(s.jvm().vmVersion().isPresent(), "HotSpot's header names the VM");
        for (JvmThread x : s.threads()) {
            if (x.frames().stream().noneMatch(f -> f.method().startsWith("Scenario.")) || x.name().equals("main")) {
                continue;
            }
            JvmThread y = t.threads().stream().filter(z -> z.javaId().equals(x.javaId())).findFirst().orElseThrow();
            assertEquals(x.name(), y.name());
            assertEquals(x.state(), y.state(), x.name());
            assertEquals(methods(x), methods(y), x.name());
        }
        if (scenario.equals("dead-owner")) {
            Finding f = only(Dumps.findings("orphaned-lock", text));
            assertTrue(f.title().contains("has no live owner; 3 threads wait for it"), f.title());
            Finding g = only(Dumps.findings("orphaned-lock", objects));
            assertEquals(Severity.ERROR, g.severity());
            assertTrue(g.title().contains(" held by dead thread ingest-worker-1 #"), g.title());
        } else {
            Finding f = only(Dumps.findings("deadlock", text));
            Finding g = only(Dumps.findings("deadlock", objects));
            assertEquals(Severity.ERROR, f.severity());
            assertEquals(Set.copyOf(f.threads()), Set.copyOf(g.threads()));
            assertEquals(f.fingerprint(), g.fingerprint());
        }
    }

    /**
     * Thread names that carry escape sequences and a bell, which Jolokia escapes in its JSON string
     * ("\u001B", "\u0007"): read back, they are the names jcmd's dump of the same scenario prints.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"jdk17", "jdk25"})
    void escapedNamesAreReadBackAsTheyWere(String jdk) throws IOException {
        Path text = Dumps.sample(jdk + "/control-names.jolokia-threadprint.json");
        assertTrue(Files.readString(text).contains("\\u001B"), "the JSON string escapes ESC");
        Set<String> names = Dumps.readOne(text).threads().stream().map(JvmThread::name).collect(Collectors.toSet());
        Set<String> jcmd = Dumps.readOne(Dumps.sample(jdk + "/control-names.txt")).threads().stream().map(JvmThread::name)
                .filter(n -> n.chars().anyMatch(c -> c < 0x20 || c == 0x202e)).collect(Collectors.toSet());
        assertTrue(jcmd.size() >= 2, jcmd.toString());
        assertTrue(names.containsAll(jcmd), names + " lacks some of " + jcmd);
    }

    /** The response cut short inside its string (a download that broke off): the dump up to there, and it says so. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"jdk17", "jdk25"})
    void aResponseCutShort(String jdk, @TempDir Path dir) throws IOException {
        byte[] whole = Files.readAllBytes(Dumps.sample(jdk + "/dead-owner.jolokia-threadprint.json"));
        String json = new String(whole, StandardCharsets.UTF_8);
        int cut = json.indexOf("batch-writer-3");
        assertTrue(cut > 0);
        Path damaged = dir.resolve("threadprint.json");
        Files.write(damaged, Arrays.copyOf(whole, cut + 40));
        InputReport input = Dumps.report(damaged);
        assertEquals(InputStatus.PARTIAL, input.status(), input.message());
        assertTrue(input.message().startsWith("1 dump; Jolokia's JSON response, read from its \"value\" (line numbers are the dump's in it); "
                + "the dump at line "), input.message());
        assertTrue(input.message().contains("cut short"), input.message());
        List<String> read = Dumps.readOne(damaged).threads().stream().map(JvmThread::name).toList();
        assertTrue(read.contains("batch-writer-1") && read.contains("batch-writer-2"), read.toString());
    }

    private static List<String> methods(JvmThread t) {
        return t.frames().stream().map(Frame::method).map(m -> m.replaceAll("/0x[0-9a-f]+", "")).toList();
    }

    private static Finding only(List<Finding> findings) {
        assertEquals(1, findings.size(), () -> "findings: " + findings.stream().map(Finding::title).toList());
        return findings.get(0);
    }
}
