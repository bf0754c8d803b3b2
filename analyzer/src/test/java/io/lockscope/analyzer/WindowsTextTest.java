package io.lockscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.input.InputReport;
import io.lockscope.analyzer.input.InputStatus;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Dumps saved on Windows: Windows PowerShell 5 writes a redirect ({@code jstack 4711 > dump.txt},
 * {@code curl .../actuator/threaddump > dump.json}) as UTF-16LE with a byte-order mark, and
 * editors may save UTF-8 with one. Real dumps, written here in those encodings (the encoding is
 * what is tested), must read as the originals do: same dumps, same JVM, same findings.
 */
class WindowsTextTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} as {1}{2}")
    @CsvSource({
        "sample, jdk17/monitor-deadlock.txt, UTF-16LE, ''",
        "sample, jdk17/monitor-deadlock.txt, UTF-16BE, ''",
        "sample, jdk17/monitor-deadlock.txt, UTF-8, ''",
        "sample, jdk25/reentrantlock-deadlock.json, UTF-16LE, ''",
        "sample, jdk25/reentrantlock-deadlock.actuator.json, UTF-16LE, ''",
        "sample, jdk25/control-names.txt, UTF-16LE, ''",
        "sample, jdk17/queued-deadlock.pod.log, UTF-16LE, .gz",
        "corpus, javacore/samurai-ibm-classic-1.4.2sr1-weblogic-monitor-deadlock.javacore.txt, UTF-16LE, ''",
        "corpus, logs/samurai-wls900-sunjdk1.5.0_03-console-log-3dumps-deadlock.txt, UTF-16LE, .gz"})
    void readsAsTheOriginalDoes(String where, String file, String charset, String gzip) throws Exception {
        Path original = where.equals("sample") ? Dumps.sample(file) : Dumps.corpus(file);
        Charset cs = Charset.forName(charset);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        text.write(cs == StandardCharsets.UTF_8 ? new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF} : "\uFEFF".getBytes(cs));
        text.write(Files.readString(original, StandardCharsets.UTF_8).getBytes(cs));
        Path saved = dir.resolve(original.getFileName() + gzip);
        try (OutputStream out = gzip.isEmpty() ? Files.newOutputStream(saved) : new GZIPOutputStream(Files.newOutputStream(saved))) {
            text.writeTo(out);
        }
        InputReport was = Dumps.report(original);
        InputReport is = Dumps.report(saved);
        assertEquals(InputStatus.READ, is.status(), is.message());
        assertEquals(was.format(), is.format());
        assertEquals(was.snapshots(), is.snapshots());
        assertEquals(cs != StandardCharsets.UTF_8, is.message().contains("; " + charset + " text"), is.message());
        assertEquals(cs == StandardCharsets.UTF_16LE, is.message().contains("as Windows PowerShell writes a redirect"), is.message());
        Analysis.Result before = Dumps.analyze(original);
        Analysis.Result after = Dumps.analyze(saved);
        assertEquals(before.jvms().size(), after.jvms().size());
        assertEquals(before.jvms().get(0).snapshots().get(0).jvm().pid(), after.jvms().get(0).snapshots().get(0).jvm().pid(),
                "the pid of the first line, behind the mark");
        assertTrue(!before.outcome().findings().isEmpty(), "each of these dumps has findings to compare");
        assertEquals(Dumps.findingSummaries(before), Dumps.findingSummaries(after));
    }
}
