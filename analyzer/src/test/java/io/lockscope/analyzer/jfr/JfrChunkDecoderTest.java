package io.lockscope.analyzer.jfr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.Dumps;
import io.lockscope.model.Recording;
import io.lockscope.model.Snapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * lockscope's own JFR parser against the JDK's: on every format 2.x recording of the corpus and of
 * sample-dumps/, both give the same recording (threads, exceptions with their stacks, every
 * contended lock with its waiters, owners, times and sample stack, pinnings, event counts) and
 * the same thread dumps.
 */
class JfrChunkDecoderTest {

    /** How many chunks a file has, from the chunk headers: the size of each is at byte 8. */
    static int chunks(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        int n = 0;
        for (long at = 0; at + 16 <= all.length; n++) {
            at += java.nio.ByteBuffer.wrap(all).getLong((int) at + 8);
        }
        return n;
    }

    static Stream<Path> recordings() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path p : Dumps.corpusFiles("jfr")) {
            if (!p.toString().endsWith(".gz") && JfrReader.version(p, false)[0] >= 2) {
                files.add(p);
            }
        }
        try (Stream<Path> samples = Files.walk(Dumps.samples())) {
            samples.filter(p -> p.toString().endsWith(".jfr")).sorted().forEach(files::add);
        }
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recordings")
    void readsAsTheJdkReads(Path file) throws IOException {
        List<Snapshot> ownDumps = new ArrayList<>();
        JfrReader.Result own = JfrReader.read(file, "f", false, ownDumps::add, JfrReader.Parser.LOCKSCOPE);
        assertTrue(own.message().contains("via lockscope's parser"), own.message());
        List<Snapshot> jdkDumps = new ArrayList<>();
        JfrReader.Result jdk = JfrReader.read(file, "f", false, jdkDumps::add, JfrReader.Parser.JDK);
        if (!jdk.message().contains("via jdk.jfr")) {
            // jdk.jfr failed part-way and JMC read the file: it counts events alike, but names and times its own way
            assertEquals(jdk.recording().eventCounts(), own.recording().eventCounts(), jdk.message());
            assertEquals(jdkDumps.size(), ownDumps.size());
            return;
        }
        Recording a = own.recording();
        Recording b = jdk.recording();
        assertEquals(b.eventCounts(), a.eventCounts());
        assertEquals(jdkDumps.size(), ownDumps.size());
        assertEquals(b.contentions().size(), a.contentions().size());
        if (chunks(file) > 1) {
            // jdk.jfr times every chunk by the first chunk's clock and names a thread as the first chunk has
            // it; lockscope, like JMC, takes both from each chunk: locks and counts agree, times and names may not
            for (int i = 0; i < a.contentions().size(); i++) {
                Recording.Contention x = a.contentions().get(i);
                Recording.Contention y = b.contentions().get(i);
                assertEquals(List.of(y.kind(), y.lockClass(), y.address(), y.events(), y.sampleStack()),
                        List.of(x.kind(), x.lockClass(), x.address(), x.events(), x.sampleStack()), "contended lock " + i);
            }
            assertEquals(b.threads().stream().map(Recording.ThreadLife::javaId).toList(),
                    a.threads().stream().map(Recording.ThreadLife::javaId).toList());
            return;
        }
        assertEquals(b.jvm(), a.jvm());
        assertEquals(b.jvmStart(), a.jvmStart());
        assertEquals(b.start(), a.start());
        assertEquals(b.end(), a.end());
        assertEquals(b.threads(), a.threads());
        assertEquals(b.exceptions(), a.exceptions());
        for (int i = 0; i < a.contentions().size(); i++) {
            assertEquals(b.contentions().get(i), a.contentions().get(i), "contended lock " + i);
        }
        assertEquals(b.pinnings(), a.pinnings());
        assertEquals(b, a);
        assertEquals(jdkDumps, ownDumps);
        assertEquals(jdk.message().replace("jdk.jfr", "lockscope's parser"), own.message());
    }

    /**
     * Damage anywhere in a recording (one byte changed, at 300 places spread over the file: headers,
     * metadata, pools, events) ends in a result or an IOException naming the trouble; never in
     * another exception or an error that would stop the run.
     */
    @org.junit.jupiter.api.Test
    void damagedBytesEndInAResultOrAnIoException(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        byte[] whole = Files.readAllBytes(Dumps.sample("jdk17/dead-owner.jfr"));
        java.util.Random random = new java.util.Random(6);
        int read = 0;
        for (int i = 0; i < 300; i++) {
            byte[] damaged = whole.clone();
            int at = i < 68 ? i + 8 : random.nextInt(damaged.length);
            damaged[at] = (byte) random.nextInt(256);
            Path file = Files.write(dir.resolve("damaged-" + i + ".jfr"), damaged);
            try {
                JfrReader.read(file, "f", false, s -> { }, JfrReader.Parser.LOCKSCOPE);
                read++;
            } catch (IOException expected) {
                assertTrue(expected.getMessage() != null && !expected.getMessage().isBlank());
            }
        }
        assertTrue(read > 150, "most single-byte damage leaves a readable recording: " + read + " of 300");
    }
}
