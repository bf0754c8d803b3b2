package io.lockscope.analyzer.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.Dumps;
import io.lockscope.analyzer.input.InputReport;
import io.lockscope.analyzer.input.InputStatus;
import io.lockscope.engine.Finding;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A heap dump damaged in the ways files from crashing machines are: lengths that claim gigabytes,
 * bytes flipped in the middle, a gzip stream cut short. Each is a real heap dump (a ReentrantLock
 * whose owner died, sample-dumps/jdk17/dead-owner.hprof.gz) damaged here, which is the point. The
 * reader believes no length past its record and the file, keeps what it read, reads on past local
 * damage, and the dead owner is still found.
 */
class DamagedHeapDumpTest {

    @TempDir
    Path dir;

    private byte[] whole;
    private HprofSurgery surgery;

    @BeforeEach
    void unpack() throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(Dumps.sample("jdk17/dead-owner.hprof.gz")))) {
            whole = in.readAllBytes();
        }
        surgery = new HprofSurgery(whole);
    }

    private Path write(String name, byte[] data) throws IOException {
        return Files.write(dir.resolve(name), data);
    }

    private byte[] withInt(int at, int value) {
        byte[] copy = whole.clone();
        ByteBuffer.wrap(copy).putInt(at, value);
        return copy;
    }

    /** The orphaned lock of the scenario, with the dead owner the heap dump names. */
    private static void deadOwnerStillFound(Path file) {
        List<Finding> f = Dumps.findings("orphaned-lock", file);
        assertEquals(1, f.size(), f.toString());
        assertTrue(f.get(0).title().contains("held by dead thread ingest-worker-1"), f.get(0).title());
        assertEquals(List.of("ingest-worker-1", "batch-writer-1", "batch-writer-2", "batch-writer-3"), f.get(0).threads());
    }

    @Test
    void aStackTraceClaimingTwoBillionFramesIsSkippedNotAllocated() throws IOException {
        int trace = surgery.firstRecord(0x05);
        Path file = write("frames.hprof", withInt(trace + 9 + 8, Integer.MAX_VALUE));
        InputReport r = Dumps.report(file);
        assertEquals(InputStatus.PARTIAL, r.status(), r.message());
        assertTrue(r.message().contains(String.format("damaged at byte %,d: a STACK TRACE of 2147483647 frames", trace + 9 + 12)), r.message());
        assertTrue(r.message().contains("read on after it"), r.message());
        deadOwnerStillFound(file);
    }

    @Test
    void aStringRecordClaimingTwoGigabytesIsSkippedToTheNextRecord() throws IOException {
        int string = surgery.firstRecord(0x01);
        Path file = write("string.hprof", withInt(string + 5, 0x7fffff00));
        InputReport r = Dumps.report(file);
        assertEquals(InputStatus.PARTIAL, r.status(), r.message());
        assertTrue(r.message().contains(String.format("a record (tag 0x01) at byte %,d says it has 2,147,483,392 bytes, but the file ends", string)),
                r.message());
        assertTrue(r.message().contains("read on after it, skipping " + length(string) + " bytes"), r.message());
        deadOwnerStillFound(file);
    }

    private int length(int record) {
        return surgery.length(record);
    }

    @Test
    void aThreadInstanceClaimingTwoGigabytesIsSkippedNotAllocated() throws IOException {
        int at = surgery.firstInstanceLengthOf("java/lang/Thread");
        Path file = write("thread.hprof", withInt(at, 0x7fffff00));
        InputReport r = Dumps.report(file);
        assertEquals(InputStatus.PARTIAL, r.status(), r.message());
        assertTrue(r.message().contains(String.format("damaged at byte %,d: an INSTANCE DUMP at byte %,d says 2,147,483,392 bytes; its record ends",
                at + 4, at + 4)), r.message());
        assertTrue(r.message().contains("read on after it"), r.message());
    }

    @Test
    void aNegativeLengthIsNamedAsSuchNotAsABareNumber() throws IOException {
        int at = surgery.firstInstanceLengthOf("java/lang/Thread");
        InputReport r = Dumps.report(write("negative.hprof", withInt(at, -9)));
        assertEquals(InputStatus.PARTIAL, r.status(), r.message());
        assertTrue(r.message().contains("an INSTANCE DUMP at byte " + String.format("%,d", at + 4) + " says -9 bytes"), r.message());
    }

    /**
     * java.lang.String made its own superclass: a walk up its superclasses never ended, and the read
     * went on until the input's deadline gave it up (fuzzing found it, on 189 bytes). The ring is
     * named, the dump read, and the dead owner found.
     */
    @Test
    void aClassThatIsItsOwnSuperclassEndsTheWalkUpItsSuperclasses() throws IOException {
        int at = surgery.classDumpOf("java/lang/String");
        byte[] damaged = whole.clone();
        System.arraycopy(damaged, at, damaged, at + surgery.idSize() + 4, surgery.idSize());
        Path file = write("ring.hprof", damaged);
        InputReport r = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> Dumps.report(file));
        assertEquals(InputStatus.PARTIAL, r.status(), r.message());
        assertTrue(r.message().contains("damaged: the superclasses of java.lang.String (class id 0x"), r.message());
        assertTrue(r.message().endsWith(" run in a ring; its fields are laid out up to where the ring closes"), r.message());
        deadOwnerStillFound(file);
    }

    @Test
    void bytesFlippedInTheMiddleCostOnlyTheObjectsTheyHit() throws IOException {
        byte[] damaged = whole.clone();
        Arrays.fill(damaged, damaged.length / 2, damaged.length / 2 + 64, (byte) 0xff);
        Path file = write("middle.hprof", damaged);
        InputReport r = Dumps.report(file);
        assertEquals(InputStatus.PARTIAL, r.status(), r.message());
        assertTrue(r.message().matches(".*damaged at byte [\\d,]+: .*; read on after it( and \\d+ more)?, skipping [\\d,]+ bytes.*"), r.message());
        deadOwnerStillFound(file);
    }

    @Test
    void aGzippedDumpCutShortKeepsWhatItGaveAsTheSameCutUncompressedDoes() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(whole);
        }
        byte[] gz = bytes.toByteArray();
        Path cutGz = write("cut.hprof.gz", Arrays.copyOf(gz, gz.length / 2));
        InputReport r = Dumps.report(cutGz);
        assertEquals(InputStatus.PARTIAL, r.status(), r.message());
        assertTrue(r.message().contains("the compressed data breaks off after byte"), r.message());
        // the same dump uncompressed, cut where the gzip stream broke off, is kept alike
        long at = Long.parseLong(r.message().replaceAll(".*breaks off after byte (\\d+) .*", "$1"));
        InputReport plain = Dumps.report(write("cut.hprof", Arrays.copyOf(whole, (int) at)));
        assertEquals(InputStatus.PARTIAL, plain.status(), plain.message());
        assertEquals(r.message().replaceAll(";.*", ""), "gzip-compressed " + plain.message().replaceAll(";.*", ""));
    }

    @Test
    void aDumpCutBetweenTwoRecordsIsCutShortNotWhole() throws IOException {
        // cut where the last segment ends, before the HEAP_DUMP_END record: every record read is whole
        int end = surgery.firstRecord(0x2C);
        InputReport r = Dumps.report(write("boundary.hprof", Arrays.copyOf(whole, end)));
        assertEquals(InputStatus.PARTIAL, r.status(), r.message());
        assertTrue(r.message().contains(String.format("cut short: the file ends at byte %,d after a heap dump segment, without the"
                + " HEAP_DUMP_END record that closes a heap dump", end)), r.message());
    }

    @Test
    void aWholeDumpIsReadWhole() throws IOException {
        InputReport r = Dumps.report(write("whole.hprof", whole));
        assertEquals(InputStatus.READ, r.status(), r.message());
        deadOwnerStillFound(dir.resolve("whole.hprof"));
    }
}
