package io.lockscope.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.Dumps;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What lockscope writes is safe to show and safe to write: names from a dump never drive the
 * terminal, the HTML or a SARIF viewer; a report never goes through a symbolic link; a bad -o is
 * found before the work. The thread names come from a real JVM (scenario control-names, whose
 * threads are named with escape sequences, a right-to-left override and link syntax).
 */
class OutputSafetyTest {

    @TempDir
    Path dir;

    private static CliTest.Run run(String... args) {
        return CliTest.run(args);
    }

    private static void noControlCharacters(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c == 0x7f || c >= 0x80 && c <= 0x9f
                    || c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069;
            assertFalse(control, String.format("U+%04X at %d in: %s", (int) c, i, text.substring(Math.max(0, i - 40), Math.min(text.length(), i + 40))));
        }
    }

    @Test
    void escapeSequencesInThreadNamesAreShownNotObeyedOnTheTerminal() {
        for (String sample : List.of("jdk17/control-names.txt", "jdk25/control-names.txt")) {
            CliTest.Run r = run("analyze", Dumps.sample(sample).toString(), "-o", dir.toString(), "--format", "text", "-v");
            assertEquals(ExitCode.FINDINGS, r.exit(), r.err());
            noControlCharacters(r.out());
            noControlCharacters(r.err());
            assertTrue(r.out().contains("poller\\x1B[2J\\x1B]0;owned\\x07-\\x1B]8;;https://example.invalid/\\x07link"), r.out());
            assertTrue(r.out().contains("flusher-<U+202E>gpj.exe-[click](javascript:alert(1))"), r.out());
            assertTrue(r.err().startsWith("lockscope: 1 finding at or above error: Deadlock among 2 threads"), r.err());
        }
    }

    @Test
    void escapeSequencesInArchiveEntryNamesAreShownNotObeyed() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            z.putNextEntry(new ZipEntry("dump\u001b]0;pwned\u0007\u202e.txt"));
            z.write(Files.readAllBytes(Dumps.sample("jdk17/monitor-deadlock.txt")));
            z.closeEntry();
        }
        Path zip = Files.write(dir.resolve("names.zip"), bytes.toByteArray());
        CliTest.Run r = run("analyze", zip.toString(), "-o", dir.resolve("out").toString(), "--format", "text", "-v");
        noControlCharacters(r.out());
        assertTrue(r.out().contains("names.zip!/dump\\x1B]0;pwned\\x07<U+202E>.txt: 1 dump"), r.out());
    }

    @Test
    void theHtmlShowsOverridesAndEscapesAsText() throws IOException {
        CliTest.Run r = run("analyze", Dumps.sample("jdk17/control-names.txt").toString(), "-o", dir.toString(), "--format", "html");
        assertEquals(ExitCode.FINDINGS, r.exit(), r.err());
        String html = Files.readString(dir.resolve("lockscope-report.html"));
        assertFalse(html.contains("\u202e"), "a raw right-to-left override");
        assertFalse(html.contains("\u001b"), "a raw escape");
        assertTrue(html.contains("flusher-&lt;U+202E&gt;gpj.exe-[click](javascript:alert(1))"), "shown as text");
    }

    @Test
    void sarifMessagesCarryNoLinkSyntaxFromTheDump() throws IOException {
        run("analyze", Dumps.sample("jdk17/control-names.txt").toString(), "-o", dir.toString(), "--format", "sarif");
        com.fasterxml.jackson.databind.JsonNode sarif = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(dir.resolve("lockscope-report.sarif").toFile());
        // what a viewer renders: every message's text (the thread names in the result's properties stay data, as they are)
        List<String> texts = sarif.findValues("message").stream().map(m -> m.path("text").asText()).toList();
        assertTrue(texts.stream().anyMatch(t -> t.contains("flusher-<U+202E>gpj.exe-\\[click\\](javascript:alert(1))")), texts.toString());
        for (String t : texts) {
            assertFalse(t.matches("(?s).*(?<!\\\\)\\[click(?<!\\\\)\\]\\(.*"), "an embedded link a viewer would follow: " + t);
            noControlCharacters(t);
        }
    }

    @Test
    void aReportIsNeverWrittenThroughASymbolicLink() throws IOException {
        Path victim = Files.writeString(dir.resolve("victim.txt"), "precious");
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.createSymbolicLink(out.resolve("lockscope-report.json"), victim);
        Files.createSymbolicLink(out.resolve("lockscope-report.html"), dir.resolve("created-through-a-dangling-link.html"));
        CliTest.Run r = run("analyze", Dumps.sample("jdk17/monitor-deadlock.txt").toString(), "-o", out.toString(), "--format", "json,html,text");
        assertEquals(ExitCode.FINDINGS, r.exit(), r.err());
        assertEquals("precious", Files.readString(victim));
        assertFalse(Files.exists(dir.resolve("created-through-a-dangling-link.html")));
        assertFalse(Files.isSymbolicLink(out.resolve("lockscope-report.json")));
        assertTrue(Files.readString(out.resolve("lockscope-report.json")).contains("\"tool\" : \"lockscope\""));
        try (var left = Files.list(out)) {
            assertEquals(List.of("lockscope-report.html", "lockscope-report.json"),
                    left.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary file left behind");
        }
    }

    @Test
    void aReportThatIsThereAlreadyIsSaidToBeReplaced() {
        String dump = Dumps.sample("jdk17/healthy-busy.txt").toString();
        CliTest.Run first = run("analyze", dump, "-o", dir.toString(), "--format", "json,text");
        assertTrue(first.out().contains("wrote " + dir.resolve("lockscope-report.json") + "\n"), first.out());
        CliTest.Run second = run("analyze", dump, "-o", dir.toString(), "--format", "json,text");
        assertTrue(second.out().contains("wrote " + dir.resolve("lockscope-report.json") + " (replaced)"), second.out());
    }

    @Test
    void anOutputThatCannotBeAFolderIsRefusedBeforeAnyReading() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        // a folder of inputs that would take time to read: nothing of it is read
        CliTest.Run r = run("analyze", Dumps.samples().toString(), "-o", file.toString());
        assertEquals(ExitCode.USAGE, r.exit());
        assertTrue(r.err().startsWith("lockscope: -o " + file + ": cannot write the reports there: " + file.toAbsolutePath()
                + " is a file, not a folder"), r.err());
        assertEquals("", r.out());
        CliTest.Run under = run("analyze", Dumps.sample("jdk17/monitor-deadlock.txt").toString(), "-o", file.resolve("sub").toString());
        assertEquals(ExitCode.USAGE, under.exit());
        assertTrue(under.err().contains("cannot write the reports there"), under.err());
    }

    @Test
    void theSameInputsInAnyOrderGiveTheSameBytes() throws IOException {
        List<String> inputs = new ArrayList<>();
        for (String s : List.of("jdk17/dead-owner.txt", "jdk17/dead-owner.hprof.gz", "jdk17/dead-owner.jfr", "jdk17/monitor-deadlock.txt",
                "jdk17/lock-order-1.txt", "jdk17/lock-order-2.txt", "jdk25/contention.json", "jdk17/hot-monitor.jfr")) {
            inputs.add(Dumps.sample(s).toString());
        }
        byte[][] first = report(inputs, "a");
        byte[][] again = report(inputs, "b");
        List<String> reversed = new ArrayList<>(inputs);
        Collections.reverse(reversed);
        byte[][] backwards = report(reversed, "c");
        Collections.shuffle(reversed, new java.util.Random(7));
        byte[][] shuffled = report(reversed, "d");
        for (int i = 0; i < first.length; i++) {
            assertArrayEquals(first[i], again[i], "run twice, format " + i);
            assertArrayEquals(first[i], backwards[i], "reversed, format " + i);
            assertArrayEquals(first[i], shuffled[i], "shuffled, format " + i);
        }
    }

    private byte[][] report(List<String> inputs, String name) throws IOException {
        Path out = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of("analyze"));
        args.addAll(inputs);
        args.addAll(List.of("-o", out.toString(), "--format", "json,html,sarif"));
        run(args.toArray(String[]::new));
        return new byte[][] {Files.readAllBytes(out.resolve("lockscope-report.json")), Files.readAllBytes(out.resolve("lockscope-report.html")),
            Files.readAllBytes(out.resolve("lockscope-report.sarif"))};
    }
}
