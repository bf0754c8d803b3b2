package io.lockscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.input.InputReport;
import io.lockscope.analyzer.input.InputStatus;
import io.lockscope.model.Snapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Dumps whose lines a console or {@code fold} broke at a fixed width: every line wider than 80 or
 * 120 columns cut there, its rest on the next line; and, as a Windows console copies them, tabs
 * turned into spaces first. The breaking is done here, to real dumps (it is what is tested): each
 * must read as the original does.
 */
class HardWrappedDumpTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}, {1}, {2} columns, tabs as spaces: {3}")
    @CsvSource({
        "sample, jdk17/reentrantlock-deadlock.txt, 80, false",
        "sample, jdk17/reentrantlock-deadlock.txt, 80, true",
        "sample, jdk25/three-kinds.txt, 120, false",
        "sample, jdk25/stalled-appender.txt, 80, true",
        "sample, jdk17/dead-owner.txt, 120, true",
        "corpus, jstack/samurai-applejdk6u5-deadlock-jstack-3dumps.txt, 80, false",
        "corpus, jstack/tda-jdk6u3-heritrix-monitor-contention.txt, 120, false",
        "corpus, jstack/jthreaddump-jdk25-jstack-e-4deadlocks.txt, 80, true"})
    void aDumpBrokenAtAWidthReadsAsTheOriginal(String where, String file, int width, boolean tabsAsSpaces) throws Exception {
        Path original = where.equals("sample") ? Dumps.sample(file) : Dumps.corpus(file);
        List<String> broken = new ArrayList<>();
        for (String line : Files.readAllLines(original, StandardCharsets.UTF_8)) {
            broken.addAll(breakAt(tabsAsSpaces ? expand(line) : line, width));
        }
        Path wrapped = Files.write(dir.resolve("wrapped.txt"), broken, StandardCharsets.UTF_8);
        InputReport r = Dumps.report(wrapped);
        assertEquals(InputStatus.READ, r.status(), r.message());
        assertTrue(r.message().contains("lines broken at " + width + " characters, joined again"), r.message());
        List<Snapshot> was = Dumps.read(original);
        List<Snapshot> is = Dumps.read(wrapped);
        assertEquals(was.size(), is.size());
        for (int i = 0; i < was.size(); i++) {
            assertEquals(was.get(i).threads().size(), is.get(i).threads().size());
        }
        assertTrue(!Dumps.analyze(original).outcome().findings().isEmpty(), "each of these dumps has findings to compare");
        assertEquals(Dumps.findingSummaries(Dumps.analyze(original)), Dumps.findingSummaries(Dumps.analyze(wrapped)));
    }

    /** As fold -w breaks a line: at {@code width} columns, a tab going on to the next multiple of 8. */
    private static List<String> breakAt(String line, int width) {
        List<String> out = new ArrayList<>();
        StringBuilder piece = new StringBuilder();
        int column = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            int next = c == '\t' ? (column / 8 + 1) * 8 : column + 1;
            if (next > width) {
                out.add(piece.toString());
                piece.setLength(0);
                column = 0;
                next = c == '\t' ? 8 : 1;
            }
            piece.append(c);
            column = next;
        }
        out.add(piece.toString());
        return out;
    }

    private static String expand(String line) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '\t') {
                b.append(" ".repeat(8 - b.length() % 8));
            } else {
                b.append(line.charAt(i));
            }
        }
        return b.toString();
    }
}
