package io.lockscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.input.InputFormat;
import io.lockscope.analyzer.input.InputReport;
import io.lockscope.analyzer.input.InputStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every thread dump in the corpus is read, whatever JVM or tool wrote it; those in the jstack/,
 * logs/ and jcmd-json/ folders that are not HotSpot's are named here with their format, so that a
 * detector that starts taking one for another fails this test. (The javacore/, jrockit/ and anr/
 * folders have {@link OtherJvmsDumpTest}.)
 */
class CorpusFormatsTest {

    /** Files of these folders in formats other than HotSpot's text and JSON. */
    static final Map<String, InputFormat> OTHER_FORMATS = Map.of(
            "samurai-jrockit-R25.2-1.5.0_03-lockchains-3dumps.txt", InputFormat.JROCKIT,
            "samurai-jrockit81-weblogic-2003.txt", InputFormat.JROCKIT,
            "samurai-wls910-jrockitR26-console-log-2dumps.txt", InputFormat.JROCKIT,
            "tda-jdk6u10-visualvm-remote-format.txt", InputFormat.VISUALVM_TEXT,
            "tda-jdk6u3-jmx-mbean-format-3dumps.txt", InputFormat.THREADINFO_TEXT);

    static Stream<Path> threadDumpFiles() {
        return Stream.of("jstack", "logs", "jcmd-json").flatMap(f -> Dumps.corpusFiles(f).stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("threadDumpFiles")
    void everyFileIsReadOrRefusedWithItsFormatNamed(Path file) {
        InputReport r = Dumps.report(file);
        String name = file.getFileName().toString();
        InputFormat other = OTHER_FORMATS.get(name);
        if (other != null) {
            assertEquals(other, r.format(), name + ": " + r.message());
        }
        assertEquals(InputStatus.READ, r.status(), name + ": " + r.message());
        assertTrue(r.snapshots() >= 1, name);
        // "...-3dumps.txt" holds three dumps; the reader must find each
        Matcher m = Pattern.compile("(\\d+)dumps").matcher(name);
        if (m.find()) {
            assertEquals(Integer.parseInt(m.group(1)), r.snapshots(), name + ": " + r.message());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("threadDumpFiles")
    void everyReadDumpHasThreadsWithStacks(Path file) {
        var snapshots = Dumps.read(file);
        assertFalse(snapshots.isEmpty());
        for (var s : snapshots) {
            assertFalse(s.threads().isEmpty(), s.label() + " has threads");
            assertTrue(s.threads().stream().anyMatch(t -> !t.frames().isEmpty()), s.label() + " has stack frames");
            // unnamed virtual threads in JSON dumps go by their id
            assertTrue(s.threads().stream().allMatch(t -> !t.name().isEmpty() || t.javaId().isPresent()),
                    s.label() + ": every thread has a name or an id");
        }
    }

    @org.junit.jupiter.api.Test
    void theCorpusHasTheFilesThisTestExpects() {
        List<String> names = threadDumpFiles().map(p -> p.getFileName().toString()).toList();
        for (String n : OTHER_FORMATS.keySet()) {
            assertTrue(names.contains(n), "corpus file " + n);
        }
        assertEquals(55, names.size(), "thread dump files in jstack/, logs/, jcmd-json/");
    }
}
