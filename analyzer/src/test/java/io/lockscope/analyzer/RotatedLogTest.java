package io.lockscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.input.InputFormat;
import io.lockscope.analyzer.input.InputReport;
import io.lockscope.analyzer.input.InputStatus;
import io.lockscope.engine.Finding;
import io.lockscope.engine.Severity;
import io.lockscope.model.Snapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Logs with runs of NUL bytes. A service's start script sends the JVM's output to a console log
 * with {@code >}, and logrotate's copytruncate empties that log under it: the JVM writes on at its
 * old offset, and the log starts with as many NULs as it had (Tomcat's catalina.out, where kill
 * -3 dumps go, is rotated so by default on many distributions). A crash leaves NULs where blocks
 * were allotted and not written. {@code monitor-deadlock.rotated.log} is a real such log
 * (capture.sh's run_rotated: kill -3, logrotate, kill -3); the others are damaged copies of real
 * dumps, the damage being the point. Each was skipped as "binary data starting with 00 00 00".
 */
class RotatedLogTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"jdk17", "jdk25"})
    void theDumpAfterALogsRotationIsRead(String jdk) throws IOException {
        Path log = Dumps.sample(jdk + "/monitor-deadlock.rotated.log");
        byte[] bytes = Files.readAllBytes(log);
        int nuls = leadingNuls(bytes);
        assertTrue(nuls > 4096, "the log had the first dump in it before it was rotated: " + nuls);

        InputReport input = Dumps.report(log);
        assertEquals(InputStatus.READ, input.status(), input.message());
        assertEquals(InputFormat.JSTACK, input.format());
        assertEquals("1 dump; " + nuls + " NUL bytes passed over, the first at byte 0 (a log truncated under its writer, "
                + "as logrotate's copytruncate leaves it, or blocks a crash left unwritten)", input.message());
        Snapshot s = Dumps.readOne(log);
        assertTrue(s.time().isPresent(), "the time HotSpot prints above the dump, right after the NULs");
        assertEquals(List.of(Set.of("stocker", "auditor", "closer")),
                s.reportedDeadlocks().stream().map(r -> Set.copyOf(r.threadNames())).toList());
        Finding f = Dumps.onlyDeadlock(log);
        assertEquals(Severity.ERROR, f.severity());
        assertEquals(Set.of("stocker", "auditor", "closer"), Set.copyOf(f.threads()));
        assertEquals(Dumps.onlyDeadlock(Dumps.sample(jdk + "/monitor-deadlock.txt")).title(), f.title());
    }

    /** The same log kept gzipped, as a rotation's compress does to the logs before it. */
    @Test
    void gzippedTooItIsRead() throws IOException {
        Path log = Dumps.sample("jdk17/monitor-deadlock.rotated.log");
        Path gz = dir.resolve("catalina.out.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(log));
        }
        InputReport input = Dumps.report(gz);
        assertEquals(InputStatus.READ, input.status(), input.message());
        assertTrue(input.message().startsWith("1 dump; " + leadingNuls(Files.readAllBytes(log))
                + " NUL bytes passed over, the first at byte 0 of its text"), input.message());
        assertEquals(Set.of("stocker", "auditor", "closer"), Set.copyOf(Dumps.onlyDeadlock(gz).threads()));
    }

    /**
     * A log rotated when it was larger than detection's first look (64 KB): 3 MB of NULs before the
     * text. Detection reads on past them.
     */
    @Test
    void aLongRunOfNulsBeforeTheText() throws IOException {
        Path log = Dumps.sample("jdk25/monitor-deadlock.rotated.log");
        byte[] text = Files.readAllBytes(log);
        int nuls = leadingNuls(text);
        ByteArrayOutputStream longer = new ByteArrayOutputStream();
        longer.writeBytes(new byte[3 << 20]);
        longer.write(text, nuls, text.length - nuls);
        Path copy = Files.write(dir.resolve("catalina.out"), longer.toByteArray());

        InputReport input = Dumps.report(copy);
        assertEquals(InputStatus.READ, input.status(), input.message());
        assertTrue(input.message().startsWith("1 dump; " + (3 << 20) + " NUL bytes passed over, the first at byte 0 "), input.message());
        assertEquals(Set.of("stocker", "auditor", "closer"), Set.copyOf(Dumps.onlyDeadlock(copy).threads()));
    }

    /**
     * A console log after a crash: a 4 KB block of NULs between two threads of a dump, and another
     * in the log's own lines before it. Every thread is read, the findings are the dump's, and the
     * message says where the first NUL was.
     */
    @Test
    void blocksOfNulsInsideALog() throws IOException {
        Path original = Dumps.sample("jdk17/dead-owner.txt");
        byte[] text = Files.readAllBytes(original);
        String s = new String(text, StandardCharsets.ISO_8859_1);
        int between = s.indexOf("\n\"batch-writer-1\"") + 1;
        ByteArrayOutputStream damaged = new ByteArrayOutputStream();
        byte[] before = "2026-12-08 01:05:27 INFO service started\n".getBytes(StandardCharsets.US_ASCII);
        damaged.writeBytes(before);
        damaged.writeBytes(new byte[4096]);
        damaged.writeBytes("2026-12-08 01:05:31 INFO service restarted\n".getBytes(StandardCharsets.US_ASCII));
        damaged.write(text, 0, between);
        damaged.writeBytes(new byte[4096]);
        damaged.write(text, between, text.length - between);
        Path copy = Files.write(dir.resolve("console.log"), damaged.toByteArray());

        InputReport input = Dumps.report(copy);
        assertEquals(InputStatus.READ, input.status(), input.message());
        assertTrue(input.message().startsWith("1 dump; 8192 NUL bytes passed over in 2 runs, the first at byte " + before.length + " "),
                input.message());
        assertEquals(Dumps.readOne(original).threads().stream().map(t -> t.name() + " " + t.state() + " " + t.frames().size()).toList(),
                Dumps.readOne(copy).threads().stream().map(t -> t.name() + " " + t.state() + " " + t.frames().size()).toList());
        assertEquals(Dumps.findingSummaries(Dumps.analyze(original)), Dumps.findingSummaries(Dumps.analyze(copy)));
    }

    /** NULs and nothing else: not read, and the message says what it is rather than "binary data". */
    @Test
    void onlyNuls() throws IOException {
        Path zeros = Files.write(dir.resolve("catalina.out"), new byte[200_000]);
        InputReport input = Dumps.report(zeros);
        assertEquals(InputStatus.SKIPPED, input.status());
        assertEquals("200000 NUL bytes and no text (a log truncated under its writer, or blocks a crash left unwritten)", input.message());
    }

    private static int leadingNuls(byte[] bytes) {
        int n = 0;
        while (n < bytes.length && bytes[n] == 0) {
            n++;
        }
        return n;
    }
}
