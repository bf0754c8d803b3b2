package io.lockscope.analyzer.jfr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.Analysis;
import io.lockscope.analyzer.Dumps;
import io.lockscope.analyzer.input.InputReport;
import io.lockscope.analyzer.input.InputStatus;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recording damaged in its chunk header or cut short, made here from a real recording of a
 * three-thread deadlock (sample-dumps/jdk17/monitor-deadlock.jfr). Nothing in it may make the run
 * wait, and a recording of which nothing could be read is never "read".
 */
class DamagedRecordingTest {

    /** Generous: reading this file takes well under a second; the JDK's parser used to wait for ever. */
    private static final Duration NEVER_WAITS = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private Path damaged(String name, int at, byte[] bytes) throws IOException {
        byte[] whole = Files.readAllBytes(Dumps.sample("jdk17/monitor-deadlock.jfr"));
        System.arraycopy(bytes, 0, whole, at, bytes.length);
        return Files.write(dir.resolve(name), whole);
    }

    /** A copy of the recording with {@code length} bytes of zeros from the 4 KB block nearest its middle, as a crash leaves them. */
    private Path zeroedInTheMiddle(Path source, int length) throws IOException {
        byte[] whole = Files.readAllBytes(source);
        int block = whole.length / 2 / 4096 * 4096;
        Arrays.fill(whole, block, block + length, (byte) 0);
        return Files.write(dir.resolve("zeroed.jfr"), whole);
    }

    private static byte[] u8(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    private static InputReport report(Path file) {
        return assertTimeoutPreemptively(NEVER_WAITS, () -> Dumps.report(file));
    }

    /** The JDK's own parser, asked directly for this file, fails at once with this in its message. */
    private static void jdkParserRefusesAtOnce(Path file, String message) {
        IOException e = assertTimeoutPreemptively(NEVER_WAITS, () -> assertThrows(IOException.class,
                () -> JfrReader.read(file, file.getFileName().toString(), false, s -> { }, JfrReader.Parser.JDK)));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void aChunkOfSizeZeroFailsAtOnceWhicheverParserIsAsked() throws Exception {
        Path file = damaged("zero.jfr", 8, u8(0));
        InputReport r = report(file);
        assertEquals(InputStatus.FAILED, r.status(), r.message());
        assertTrue(r.message().contains("chunk 1 at byte 0 has size 0 in its header"), r.message());
        // the JDK's own parser, asked directly, is never handed the chunk
        jdkParserRefusesAtOnce(file, "has size 0");
    }

    @Test
    void aRecordingCutAtSixtyPercentIsNotReadAsEmpty() throws Exception {
        byte[] whole = Files.readAllBytes(Dumps.sample("jdk17/monitor-deadlock.jfr"));
        Path cut = Files.write(dir.resolve("cut.jfr"), Arrays.copyOf(whole, whole.length * 6 / 10));
        InputReport r = report(cut);
        assertEquals(InputStatus.FAILED, r.status(), r.message());
        assertTrue(r.message().contains(String.format("chunk 1 at byte 0 says it has %,d bytes, but the file ends %,d bytes after its start (cut short)",
                whole.length, whole.length * 6 / 10)), r.message());
    }

    @Test
    void constantPoolOrMetadataOffsetsPastTheChunkAreDamageNotAnEmptyRecording() throws Exception {
        InputReport pools = report(damaged("pools.jfr", 16, u8(Long.MAX_VALUE / 3)));
        assertEquals(InputStatus.FAILED, pools.status(), pools.message());
        assertTrue(pools.message().contains("puts its constant pools at byte"), pools.message());
        InputReport metadata = report(damaged("metadata.jfr", 24, u8(1L << 40)));
        assertEquals(InputStatus.FAILED, metadata.status(), metadata.message());
        assertTrue(metadata.message().contains("puts its metadata at byte 1,099,511,627,776"), metadata.message());
    }

    @Test
    void aFormatVersionNoJdkWroteIsRefusedByName() throws Exception {
        InputReport r = report(damaged("v9.jfr", 4, new byte[] {0, 9}));
        assertEquals(InputStatus.FAILED, r.status(), r.message());
        assertTrue(r.message().contains("JFR format 9.1 in its header"), r.message());
    }

    @Test
    void theThreadDumpBesideADamagedRecordingStillGivesItsDeadlock() throws Exception {
        damaged("zero.jfr", 8, u8(0));
        Files.copy(Dumps.sample("jdk17/monitor-deadlock.txt"), dir.resolve("monitor-deadlock.txt"));
        Analysis.Result r = assertTimeoutPreemptively(NEVER_WAITS, () -> Dumps.analyze(dir));
        assertEquals(1, r.outcome().findings().stream().filter(f -> f.rule().equals("deadlock")).count(), r.outcome().findings().toString());
        assertEquals(java.util.List.of("stocker", "auditor", "closer"), r.outcome().findings().get(0).threads());
    }

    /**
     * 64 bytes flipped to 0xff in the middle of a chunk's events: lockscope's parser names the byte,
     * reads on from the next place events follow one another again, and keeps the deadlock that
     * the recording's dumps show. (It used to hand the file to jdk.jfr, which reads past damage
     * without a word.)
     */
    @Test
    void bytesFlippedInsideAChunkAreReadPast() throws Exception {
        Path source = Dumps.sample("jdk17/monitor-deadlock.jfr");
        byte[] whole = Files.readAllBytes(source);
        Arrays.fill(whole, whole.length / 2, whole.length / 2 + 64, (byte) 0xff);
        Path flipped = Files.write(dir.resolve("flipped.jfr"), whole);
        InputReport r = report(flipped);
        assertEquals(InputStatus.PARTIAL, r.status(), r.message());
        assertTrue(r.message().matches("JFR 2\\.1 via lockscope's parser; \\d+ lock and thread events, \\d+ thread dumps; damaged at byte "
                + "[\\d,]+: .+; read on after it( and \\d+ more)?, skipping \\d+ bytes"), r.message());
        assertEquals(Dumps.findingSummaries(Dumps.analyze(source)), Dumps.findingSummaries(Dumps.analyze(flipped)));
    }

    /**
     * A 16 KB block of zeros in the middle of a recording, where a crash left a block the file
     * system had allotted and not written. Reading goes on after it: the message says where and how
     * much was passed over, and the dead owner the recording names (its thread's end, the
     * exception that ended it, the waiters in its dumps) is found as in the whole recording.
     */
    @Test
    void aBlockOfZerosIsReadPast() throws Exception {
        Path source = Dumps.sample("jdk17/dead-owner.jfr");
        Path zeroed = zeroedInTheMiddle(source, 16384);
        InputReport r = report(zeroed);
        assertEquals(InputStatus.PARTIAL, r.status(), r.message());
        assertTrue(r.message().matches(".*; damaged at byte [\\d,]+: event of 0 bytes; read on after it, skipping 16,\\d{3} bytes"),
                r.message());
        var found = Dumps.only(Dumps.findings("orphaned-lock", zeroed));
        assertEquals(Dumps.only(Dumps.findings("orphaned-lock", source)).title(), found.title());
        assertTrue(found.title().contains("likely held by dead thread ingest-worker-1, which ended after IllegalStateException"),
                found.title());
    }

    /**
     * A recording whose constant pools are most of its bytes (a Datadog-profiled JDK 21 service from
     * the corpus: 230 checkpoints, 801 KB of its 1 MB), with a 64 KB block of zeros in the middle.
     * The block breaks the chain that links each checkpoint to the one before it; the checkpoints
     * before the break are found by walking the events from the chunk's start. Every park and
     * monitor wait is read, as in the whole file (jdk.jfr, which lockscope's parser handed such a
     * file to, read none).
     */
    @Test
    void aBlockOfZerosAmongTheConstantPools() throws Exception {
        Path source = Dumps.corpus("jfr/grafana-jdk21.0.4-threadpark-monitorwait.jfr");
        Path zeroed = zeroedInTheMiddle(source, 65536);
        JfrReader.Result damaged = assertTimeoutPreemptively(NEVER_WAITS, () -> JfrReader.read(zeroed, "zeroed", false, s -> { }));
        assertTrue(damaged.message().matches("JFR 2\\.1 via lockscope's parser; 880 lock and thread events; damaged at byte [\\d,]+: "
                + "event of 0 bytes; read on after it( and \\d+ more)?, skipping [\\d,]+ bytes"), damaged.message());
        assertEquals(JfrReader.read(source, "whole", false, s -> { }).recording().eventCounts(), damaged.recording().eventCounts());
        assertEquals(false, damaged.recording().complete());
    }

    @Test
    void aChunkMarkedAsStillBeingWrittenIsNeverWaitedFor() throws Exception {
        // found by fuzzing: the JDK's parser waits for the JVM to finish a chunk whose state byte is not 0
        Path file = damaged("writing.jfr", 64, new byte[] {(byte) 255});
        InputReport r = report(file);
        assertEquals(InputStatus.FAILED, r.status(), r.message());
        assertTrue(r.message().contains("chunk 1 at byte 0 is marked as still being written (state byte 255)"), r.message());
        jdkParserRefusesAtOnce(file, "still being written");
    }
}
