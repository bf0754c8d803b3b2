package io.lockscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.input.InputFormat;
import io.lockscope.analyzer.input.InputReport;
import io.lockscope.analyzer.input.InputStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sample dumps packed the way they reach an incident review: a CI job's artifacts as a zip, a
 * bundle made with {@code tar czf}. The dumps inside are our real ones; only the packing is done here.
 */
class ArchiveInputTest {

    @TempDir
    Path dir;

    /** Archive entries, in order: each entry's name, then the sample dump whose bytes it holds. */
    private static Map<String, byte[]> entries(String... nameThenSample) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < nameThenSample.length; i += 2) {
            files.put(nameThenSample[i], Files.readAllBytes(Dumps.sample(nameThenSample[i + 1])));
        }
        return files;
    }

    /**
     * Three entries under these names: a monitor deadlock, a healthy dump (the one a test damages),
     * and a ReentrantLock deadlock; the deadlocks' findings show what was read before and after the
     * damage.
     */
    private static Map<String, byte[]> twoDeadlocksAround(String first, String damaged, String last) throws IOException {
        return entries(first, "jdk17/monitor-deadlock.txt", damaged, "jdk17/healthy-busy.txt",
                last, "jdk17/reentrantlock-deadlock.txt");
    }

    /** What a CI job might upload: dumps in a folder, a build log, and macOS's leftovers. */
    private Map<String, byte[]> artifacts() throws IOException {
        Map<String, byte[]> files = entries(
                "dumps/monitor-deadlock.txt", "jdk17/monitor-deadlock.txt",
                "dumps/reentrantlock-deadlock.hprof.gz", "jdk17/reentrantlock-deadlock.hprof.gz",
                "dumps/dead-owner.jfr", "jdk17/dead-owner.jfr",
                "service/threaddump.json", "jdk25/dead-owner.actuator.json");
        files.put("build.log", "BUILD FAILED: test run timed out\n".getBytes(StandardCharsets.UTF_8));
        files.put("__MACOSX/dumps/._monitor-deadlock.txt", new byte[] {0, 5, 22, 7});
        files.put("dumps/.DS_Store", new byte[] {0, 0, 0, 1});
        return files;
    }

    @Test
    void aZipOfArtifactsIsReadFileByFileAndFindsWhatTheFilesFind() throws IOException {
        Map<String, byte[]> files = artifacts();
        Path zip = dir.resolve("artifacts.zip");
        Files.write(zip, zip(files));
        Analysis.Result r = Dumps.analyze(zip);
        Map<String, InputReport> byPath = r.inputs().stream().collect(Collectors.toMap(InputReport::path, x -> x));
        InputReport archive = byPath.get(zip.toString());
        assertEquals(InputFormat.ZIP, archive.format());
        assertEquals(InputStatus.READ, archive.status(), archive.message());
        assertTrue(archive.message().endsWith("5 files, 4 read"), archive.message());
        assertEquals(InputStatus.READ, byPath.get(zip + "!/dumps/monitor-deadlock.txt").status());
        assertEquals(InputFormat.HPROF, byPath.get(zip + "!/dumps/reentrantlock-deadlock.hprof.gz").format());
        assertEquals(InputFormat.JFR, byPath.get(zip + "!/dumps/dead-owner.jfr").format());
        assertEquals(InputFormat.ACTUATOR_JSON, byPath.get(zip + "!/service/threaddump.json").format());
        assertEquals(InputStatus.SKIPPED, byPath.get(zip + "!/build.log").status());
        assertTrue(r.inputs().stream().noneMatch(i -> i.path().contains("__MACOSX") || i.path().contains(".DS_Store")));
        // the same findings as the files themselves, evidence named inside the archive
        assertEquals(findings(unpacked(files)), findings(r));
        assertTrue(r.outcome().findings().stream().flatMap(f -> f.evidence().stream())
                .anyMatch(e -> e.at().file().equals(zip + "!/dumps/monitor-deadlock.txt")));
    }

    @Test
    void aTarGzBundleMadeWithTarCzfDot() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        artifacts().forEach((name, bytes) -> files.put("./" + name, bytes));
        // a path longer than a tar header's 100 bytes comes as a GNU long-name entry
        String deep = "./" + "incident-2026-12-01/".repeat(6) + "jstack-after-restart.txt";
        files.put(deep, Files.readAllBytes(Dumps.sample("jdk25/reentrantlock-deadlock.txt")));
        Path tgz = dir.resolve("bundle.tgz");
        Files.write(tgz, gzip(tar(files)));
        Analysis.Result r = Dumps.analyze(tgz);
        Map<String, InputReport> byPath = r.inputs().stream().collect(Collectors.toMap(InputReport::path, x -> x));
        InputReport archive = byPath.get(tgz.toString());
        assertEquals(InputFormat.TAR, archive.format());
        assertTrue(archive.message().startsWith("tar archive, gzip-compressed: 6 files, 5 read"), archive.message());
        assertEquals(InputStatus.READ, byPath.get(tgz + "!/" + deep.substring(2)).status(), byPath.keySet().toString());
        Map<String, byte[]> plain = new LinkedHashMap<>();
        files.forEach((name, bytes) -> plain.put(name.substring(2), bytes));
        assertEquals(findings(unpacked(plain)), findings(r));
    }

    @Test
    void aZipCutShortKeepsTheFilesBeforeTheCut() throws IOException {
        Map<String, byte[]> files = entries(
                "a/monitor-deadlock.txt", "jdk17/monitor-deadlock.txt",
                "b/dead-owner.jfr", "jdk17/dead-owner.jfr");
        byte[] whole = zip(files);
        Path cut = Files.write(dir.resolve("cut.zip"), Arrays.copyOf(whole, whole.length * 3 / 4));
        Analysis.Result r = Dumps.analyze(cut);
        InputReport archive = r.inputs().get(0);
        assertEquals(InputStatus.PARTIAL, archive.status(), archive.message());
        assertTrue(archive.message().contains("the archive broke off: no central directory"), archive.message());
        InputReport first = r.inputs().stream().filter(i -> i.path().endsWith("!/a/monitor-deadlock.txt")).findFirst().orElseThrow();
        assertEquals(InputStatus.READ, first.status());
        assertEquals(1, r.outcome().findings().stream().filter(f -> f.rule().equals("deadlock")).count(),
                "the deadlock in the file before the cut is still found");
    }

    @Test
    void archivesInsideArchivesAreOpenedToo() throws IOException {
        Map<String, byte[]> inner = new LinkedHashMap<>();
        inner.put("jvm-2/dump.txt", Files.readAllBytes(Dumps.sample("jdk25/monitor-deadlock.txt")));
        Map<String, byte[]> outer = new LinkedHashMap<>();
        outer.put("node-7/dumps.zip", zip(inner));
        Path zip = Files.write(dir.resolve("cluster.zip"), zip(outer));
        Analysis.Result r = Dumps.analyze(zip);
        InputReport dump = r.inputs().stream().filter(i -> i.path().equals(zip + "!/node-7/dumps.zip!/jvm-2/dump.txt"))
                .findFirst().orElseThrow(() -> new AssertionError(r.inputs().toString()));
        assertEquals(InputStatus.READ, dump.status());
        assertEquals(1, r.outcome().findings().size());
    }

    private static Map<String, InputReport> byPath(Analysis.Result r) {
        return r.inputs().stream().collect(Collectors.toMap(InputReport::path, x -> x));
    }

    @Test
    void aDamagedZipEntryDoesNotStopTheEntriesAfterIt() throws IOException {
        Map<String, byte[]> files = twoDeadlocksAround("a/monitor-deadlock.txt", "b/healthy-busy.txt", "c/reentrantlock-deadlock.txt");
        byte[] zip = zip(files);
        // flip bytes inside b's compressed data, a little after its local header
        int b = indexOf(zip, "b/healthy-busy.txt".getBytes(StandardCharsets.UTF_8));
        Arrays.fill(zip, b + 200, b + 260, (byte) 0x55);
        Path file = Files.write(dir.resolve("damaged.zip"), zip);
        Analysis.Result r = Dumps.analyze(file);
        Map<String, InputReport> in = byPath(r);
        InputReport damaged = in.get(file + "!/b/healthy-busy.txt");
        assertTrue(damaged.status() == InputStatus.FAILED || damaged.status() == InputStatus.PARTIAL, damaged.message());
        assertEquals(InputStatus.READ, in.get(file + "!/c/reentrantlock-deadlock.txt").status());
        assertEquals(InputStatus.PARTIAL, in.get(file.toString()).status(), in.get(file.toString()).message());
        assertEquals(Set.of("deadlock stocker,auditor,closer", "deadlock transfer-a-to-b,transfer-b-to-a"), summaries(r));
    }

    private static Set<String> summaries(Analysis.Result r) {
        return r.outcome().findings().stream().map(f -> f.rule() + " " + String.join(",", f.threads())).collect(Collectors.toSet());
    }

    private static int indexOf(byte[] data, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= data.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (data[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("not found");
    }

    @Test
    void zipEntriesWithTheSameBytesAreReadOnce() throws IOException {
        // two hundred names for one dump: what a zip bomb does with overlapping entries, in a form Java's zip writer makes
        Map<String, byte[]> files = new LinkedHashMap<>();
        byte[] dump = Files.readAllBytes(Dumps.sample("jdk17/monitor-deadlock.txt"));
        for (int i = 0; i < 200; i++) {
            files.put(String.format("copies/%03d.txt", i), dump);
        }
        Path file = Files.write(dir.resolve("copies.zip"), zip(files));
        Analysis.Result r = Dumps.analyze(file);
        Map<String, InputReport> in = byPath(r);
        assertEquals(InputStatus.READ, in.get(file + "!/copies/000.txt").status());
        assertEquals("the same bytes as copies/000.txt, read once", in.get(file + "!/copies/199.txt").message());
        assertEquals(1, r.inputs().stream().filter(i -> i.snapshots() == 1 && i.path().contains("!/")).count());
        assertEquals(Set.of("deadlock stocker,auditor,closer"), summaries(r));
    }

    @Test
    void aZipEntryNamedOutsideTheArchiveIsListedAndReadNeverWrittenThere() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("../../outside.txt", Files.readAllBytes(Dumps.sample("jdk17/monitor-deadlock.txt")));
        Path folder = Files.createDirectories(dir.resolve("x/y"));
        Path file = Files.write(folder.resolve("escape.zip"), zip(files));
        Analysis.Result r = Dumps.analyze(file);
        assertEquals(InputStatus.READ, byPath(r).get(file + "!/../../outside.txt").status());
        assertFalse(Files.exists(dir.resolve("outside.txt")));
        assertEquals(Set.of("deadlock stocker,auditor,closer"), summaries(r));
    }

    @Test
    void aTarWhoseDataShiftedMakesNoEntriesOfDumpText() throws IOException {
        Map<String, byte[]> files = twoDeadlocksAround("a.txt", "b.txt", "c.txt");
        byte[] tar = tar(files);
        // 100 bytes lost from b's content (a copy that dropped a packet): every header after it is off its block
        int b = indexOf(tar, "b.txt".getBytes(StandardCharsets.US_ASCII));
        byte[] shifted = new byte[tar.length - 100];
        System.arraycopy(tar, 0, shifted, 0, b + 1024);
        System.arraycopy(tar, b + 1124, shifted, b + 1024, tar.length - b - 1124);
        Path file = Files.write(dir.resolve("shifted.tar"), shifted);
        Analysis.Result r = Dumps.analyze(file);
        Set<String> names = r.inputs().stream().map(InputReport::path).collect(Collectors.toSet());
        for (String name : names) {
            assertTrue(name.equals(file.toString()) || name.equals(file + "!/a.txt") || name.equals(file + "!/b.txt"), names.toString());
        }
        assertEquals(InputStatus.PARTIAL, byPath(r).get(file.toString()).status());
        assertTrue(byPath(r).get(file.toString()).message().contains("a header whose checksum does not match"),
                byPath(r).get(file.toString()).message());
    }

    @Test
    void aNamedPipeIsRead() throws Exception {
        Path fifo = Dumps.namedPipe(dir.resolve("jstack.fifo"), Files.readAllBytes(Dumps.sample("jdk17/monitor-deadlock.txt")), false);
        Analysis.Result r = Dumps.analyze(fifo);
        assertEquals(InputStatus.READ, byPath(r).get(fifo.toString()).status());
        assertEquals(Set.of("deadlock stocker,auditor,closer"), summaries(r));
    }

    private Path unpacked(Map<String, byte[]> files) throws IOException {
        Path root = Files.createTempDirectory(dir, "unpacked");
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Path p = root.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, e.getValue());
        }
        return root;
    }

    private static Set<String> findings(Path folder) {
        return findings(Dumps.analyze(folder));
    }

    private static Set<String> findings(Analysis.Result r) {
        return Dumps.findingSummaries(r);
    }

    private static byte[] zip(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    /** GNU tar's layout: ustar headers, a type L entry before a name longer than 100 bytes, two zero blocks at the end. */
    private static byte[] tar(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            if (name.length > 100) {
                entry(out, "././@LongLink".getBytes(StandardCharsets.US_ASCII), 'L', Arrays.copyOf(name, name.length + 1));
                name = Arrays.copyOf(name, 100);
            }
            entry(out, name, '0', e.getValue());
        }
        out.write(new byte[1024]);
        return out.toByteArray();
    }

    private static void entry(ByteArrayOutputStream out, byte[] name, char type, byte[] content) throws IOException {
        byte[] h = new byte[512];
        System.arraycopy(name, 0, h, 0, Math.min(100, name.length));
        put(h, 100, "0000644\0");
        put(h, 108, "0000000\0");
        put(h, 116, "0000000\0");
        put(h, 124, String.format("%011o\0", content.length));
        put(h, 136, String.format("%011o\0", 0));
        h[156] = (byte) type;
        put(h, 257, "ustar  \0");
        Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o\0 ", sum));
        out.write(h);
        out.write(content);
        out.write(new byte[(512 - content.length % 512) % 512]);
    }

    private static void put(byte[] h, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, at, b.length);
    }
}
