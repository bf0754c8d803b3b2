package io.lockscope.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.input.InputFormat;
import io.lockscope.analyzer.input.InputReport;
import io.lockscope.analyzer.input.InputStatus;
import io.lockscope.model.Snapshot;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input gets a clear message, and what was read is kept. The damaged files are made here
 * from real dumps (cut short, compressed), which is the point of these tests.
 */
class DamagedInputTest {

    @TempDir
    Path dir;

    private static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(data);
        }
        return bytes.toByteArray();
    }

    @Test
    void gzippedDumpIsReadThroughTheCompression() throws Exception {
        Path gz = Files.write(dir.resolve("dump.gz"), gzip(Files.readAllBytes(Dumps.sample("jdk17/monitor-deadlock.txt"))));
        InputReport r = Dumps.report(gz);
        assertEquals(InputStatus.READ, r.status(), r.message());
        assertEquals(1, Dumps.findings("deadlock", gz).size());
    }

    @Test
    void truncatedGzipKeepsTheDumpsBeforeTheDamage() throws Exception {
        byte[] three = Files.readAllBytes(Dumps.corpus("jstack/samurai-openjdk17-idle-3dumps.txt"));
        byte[] gz = gzip(three);
        Path cut = Files.write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length * 3 / 4));
        InputReport r = Dumps.report(cut);
        assertEquals(InputStatus.PARTIAL, r.status(), r.message());
        assertTrue(r.message().contains("broke off at line"), r.message());
        assertTrue(r.message().contains("gzip"), r.message());
        assertTrue(r.snapshots() >= 1 && r.snapshots() <= 3, r.message());
    }

    /**
     * The same cut, through the layers that turn text into what the readers read: a container's
     * logs and UTF-16. Each reads ahead to tell what it is; none may lose what came before the damage.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"jdk17/queued-deadlock.docker-json.log", "jdk17/queued-deadlock.pod.log",
        "jdk17/monitor-deadlock.txt as UTF-16LE"})
    void truncatedGzipOfALogOrOfUtf16KeepsWhatCameBeforeTheDamage(String file) throws Exception {
        byte[] text = Files.readAllBytes(Dumps.sample(file.replace(" as UTF-16LE", "")));
        if (file.endsWith("UTF-16LE")) {
            ByteArrayOutputStream utf16 = new ByteArrayOutputStream();
            utf16.write(new byte[] {(byte) 0xFF, (byte) 0xFE});
            utf16.write(new String(text, java.nio.charset.StandardCharsets.UTF_8).getBytes(java.nio.charset.StandardCharsets.UTF_16LE));
            text = utf16.toByteArray();
        }
        byte[] gz = gzip(text);
        // cut where most of the dump's threads are already in: the rest of the dump is lost, not the dump
        Path cut = Files.write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length * 9 / 10));
        InputReport r = Dumps.report(cut);
        assertEquals(InputStatus.PARTIAL, r.status(), r.message());
        assertTrue(r.message().contains("broke off at line") && r.message().contains("gzip"), r.message());
        assertEquals(1, r.snapshots(), r.message());
        assertTrue(Dumps.read(cut).get(0).threads().size() > 5, r.message());
    }

    @Test
    void truncatedGzipOfUtf16KeepsTheDumpsBeforeTheDamage() throws Exception {
        // the UTF-16 decoder reads on while its stream says more is there: a small file cut early loses nothing all the same
        String three = Files.readString(Dumps.corpus("jstack/samurai-openjdk17-idle-3dumps.txt"));
        byte[] gz = gzip(("\uFEFF" + three).getBytes(java.nio.charset.StandardCharsets.UTF_16LE));
        Path cut = Files.write(dir.resolve("cut16.gz"), Arrays.copyOf(gz, gz.length * 3 / 4));
        InputReport r = Dumps.report(cut);
        assertEquals(InputStatus.PARTIAL, r.status(), r.message());
        assertTrue(r.message().contains("broke off at line") && r.message().contains("gzip"), r.message());
        assertTrue(r.snapshots() >= 1 && r.snapshots() <= 3, r.message());
    }

    @Test
    void textCutMidThreadYieldsWhatWasThere() throws Exception {
        List<String> lines = Files.readAllLines(Dumps.sample("jdk17/monitor-deadlock.txt"));
        Path cut = Files.write(dir.resolve("cut.txt"), lines.subList(0, lines.size() / 2));
        List<Snapshot> s = Dumps.read(cut);
        assertEquals(1, s.size());
        assertTrue(s.get(0).threads().size() > 3);
    }

    @Test
    void binaryFileIsRefusedWithItsFirstBytesDescribed() throws Exception {
        Path bin = Files.write(dir.resolve("core"), new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0});
        InputReport r = Dumps.report(bin);
        assertEquals(InputStatus.SKIPPED, r.status());
        assertEquals(InputFormat.UNKNOWN, r.format());
        assertTrue(r.message().contains("7f 45 4c 46"), r.message());
        assertTrue(r.message().contains(".ELF"), r.message());
    }

    @Test
    void aFileThatIsGoneWhenItsTurnComesFailsWithTheReason() {
        Path gone = dir.resolve("taken-away.txt");
        InputReport r = Dumps.report(gone);
        assertEquals(InputStatus.FAILED, r.status());
        assertEquals(InputFormat.UNKNOWN, r.format());
        assertEquals("cannot read: no such file", r.message());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"jdk25/dead-owner.actuator.json,actuator-json", "jdk25/reentrantlock-deadlock.json,jcmd-json"})
    void aJsonDumpCutShortKeepsTheThreadsReadBeforeTheCut(String sample, String format) throws Exception {
        byte[] whole = Files.readAllBytes(Dumps.sample(sample));
        Path cut = Files.write(dir.resolve("cut.json"), Arrays.copyOf(whole, whole.length * 2 / 3));
        InputReport r = Dumps.report(cut);
        assertEquals(InputStatus.PARTIAL, r.status(), r.message());
        assertEquals(format, r.format().id());
        assertTrue(r.message().startsWith("1 dump, cut short: broke off Unexpected end-of-input"), r.message());
        assertTrue(r.message().matches(".* at line \\d+, column \\d+; kept the \\d+ threads read before it"), r.message());
        assertTrue(!r.message().contains("Source:"), r.message());
        int kept = Dumps.readOne(cut).threads().size();
        int all = Dumps.readOne(Dumps.sample(sample)).threads().size();
        assertTrue(kept > 0 && kept < all, kept + " of " + all);
    }

    @Test
    void oneBadFileDoesNotStopTheOthers() throws Exception {
        Path bad = Files.write(dir.resolve("bad.json"), "{\"threadDump\": {\"threadContainers\": [ {\"threads\": [ {\"name\": ".getBytes());
        Path good = Files.copy(Dumps.sample("jdk17/monitor-deadlock.txt"), dir.resolve("good.txt"));
        Analysis.Result r = Dumps.analyze(dir);
        InputReport badReport = r.inputs().stream().filter(i -> i.path().endsWith("bad.json")).findFirst().orElseThrow();
        assertEquals(InputStatus.FAILED, badReport.status());
        assertTrue(badReport.message().startsWith("jcmd-json could not be read: "), badReport.message());
        assertEquals(1, r.outcome().findings().size(), "the good file still gives its finding: " + good);
    }

    @Test
    void aDumpCutInItsLastLineIsPartialNotRead() throws Exception {
        // cut inside the lock line that closes the ring: the deadlock is gone, and the report says why
        byte[] whole = Files.readAllBytes(Dumps.sample("jdk17/monitor-deadlock.txt"));
        Path cut = Files.write(dir.resolve("cut.txt"), Arrays.copyOf(whole, whole.length * 7 / 10));
        InputReport r = Dumps.report(cut);
        assertEquals(InputStatus.PARTIAL, r.status(), r.message());
        assertTrue(r.message().matches("1 dump; the dump at line \\d+ breaks off in its last line \\(\\d+\\), before HotSpot's closing"
                + " \"JNI global refs\" line: cut short, the last dump kept as far as it goes"), r.message());
    }

    @Test
    void ofSeveralDumpsTheLastOneWithoutItsClosingLineIsCutShort() throws Exception {
        List<String> lines = Files.readAllLines(Dumps.corpus("jstack/samurai-openjdk17-idle-3dumps.txt"));
        int lastClose = lines.size() - 1;
        while (!lines.get(lastClose).startsWith("JNI global ref")) {
            lastClose--;
        }
        Path cut = Files.write(dir.resolve("cut.txt"), lines.subList(0, lastClose - 3));
        InputReport r = Dumps.report(cut);
        assertEquals(InputStatus.PARTIAL, r.status(), r.message());
        assertTrue(r.message().contains("stops at the end of the file without the closing \"JNI global refs\" line the dumps before it have"),
                r.message());
        assertEquals(3, r.snapshots());
    }

    @Test
    void aWholeDumpWithoutAFinalLineEndIsRead() throws Exception {
        byte[] whole = Files.readAllBytes(Dumps.sample("jdk17/monitor-deadlock.txt"));
        int end = whole.length;
        while (whole[end - 1] == '\n' || whole[end - 1] == '\r') {
            end--;
        }
        InputReport r = Dumps.report(Files.write(dir.resolve("no-newline.txt"), Arrays.copyOf(whole, end)));
        assertEquals(InputStatus.READ, r.status(), r.message());
    }

    @Test
    void aStrayNulByteDoesNotMakeADumpBinary() throws Exception {
        byte[] dump = Files.readAllBytes(Dumps.sample("jdk17/monitor-deadlock.txt"));
        dump[100] = 0;
        Path file = Files.write(dir.resolve("nul.txt"), dump);
        assertEquals(InputStatus.READ, Dumps.report(file).status(), Dumps.report(file).message());
        assertEquals(1, Dumps.findings("deadlock", file).size());
    }

    @Test
    void aReadThatOutlivesItsDeadlineIsGivenUpOnAndTheOthersAreRead() throws Exception {
        // the heap dump's reader reports its progress (every 64 MB) on its own thread; a progress that does not
        // return holds that read as a reader stuck on its input would, until the deadline cuts it off
        Path heap = Dumps.corpus("hprof/mat-adoptopenjdk11.0.4-x64-522MB-uncompressed.hprof.gz");
        Path good = Dumps.sample("jdk17/monitor-deadlock.txt");
        Analysis.Progress stuck = new Analysis.Progress() {
            @Override
            public void reading(int index, int total, String path) {
            }

            @Override
            public void within(String path, int pass, long position, long size) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        Analysis.Result r = new Analysis(io.lockscope.engine.RuleEngine.builtIn(), java.util.Set.of("deadlock"))
                .withDeadline(InputDeadline.seconds(2)).run(List.of(heap, good), stuck);
        InputReport given = r.inputs().stream().filter(i -> i.path().endsWith("522MB-uncompressed.hprof.gz")).findFirst().orElseThrow();
        assertEquals(InputStatus.FAILED, given.status(), given.message());
        assertEquals("gave up after 2 s without reaching its end (--input-timeout)", given.message());
        assertEquals(List.of(java.util.Set.of("stocker", "auditor", "closer")),
                r.outcome().findings().stream().map(f -> java.util.Set.copyOf(f.threads())).toList(), "the good file is read all the same");
    }

    @Test
    void aPipeThatNeverEndsIsReadAsFarAsItCame() throws Exception {
        // kubectl logs -f, or a writer that hangs: a whole dump, then the pipe stays open
        byte[] dump = Files.readAllBytes(Dumps.sample("jdk25/reentrantlock-deadlock.txt"));
        Path fifo = Dumps.namedPipe(dir.resolve("follow.fifo"), dump, true);
        Path good = Dumps.sample("jdk17/monitor-deadlock.txt");
        Analysis.Result r = new Analysis(io.lockscope.engine.RuleEngine.builtIn(), java.util.Set.of("deadlock"))
                .withDeadline(InputDeadline.seconds(4)).run(List.of(fifo, good), Analysis.Progress.NONE);
        InputReport follow = r.inputs().stream().filter(i -> i.path().endsWith("follow.fifo")).findFirst().orElseThrow();
        assertEquals(InputStatus.PARTIAL, follow.status(), follow.message());
        assertEquals("1 dump; read up to byte " + dump.length + ", where the copy of the pipe stopped: it had not ended after 2 s "
                + "(half the input's time, --input-timeout)", follow.message());
        assertEquals(java.util.Set.of(java.util.Set.of("stocker", "auditor", "closer"), java.util.Set.of("transfer-a-to-b", "transfer-b-to-a")),
                r.outcome().findings().stream().map(f -> java.util.Set.copyOf(f.threads())).collect(java.util.stream.Collectors.toSet()),
                "the pipe's deadlock is found, and the good file's");
    }

    @Test
    void aDeviceIsSkippedNotReadForEver() {
        Analysis.Result r = Dumps.analyze(Path.of("/dev/zero"), Dumps.sample("jdk17/monitor-deadlock.txt"));
        InputReport zero = r.inputs().stream().filter(i -> i.path().equals("/dev/zero")).findFirst().orElseThrow();
        assertEquals(InputStatus.SKIPPED, zero.status());
        assertEquals("a device (/dev/zero), not a file or a pipe: it gives bytes for as long as one reads", zero.message());
        assertEquals(1, r.outcome().findings().size());
    }
}
