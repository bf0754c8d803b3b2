package io.lockscope.analyzer.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.Dumps;
import io.lockscope.analyzer.input.InputFormat;
import io.lockscope.analyzer.input.InputReport;
import io.lockscope.analyzer.input.InputStatus;
import io.lockscope.model.JvmThread;
import io.lockscope.model.Snapshot;
import io.lockscope.model.SynchronizerState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Facts a person can check in each corpus heap dump (with MAT, or the counts in the corpus's
 * SOURCES.tsv): thread roots, a named lock's owner, how many ReentrantLock syncs there are.
 */
class HeapReaderTest {

    @TempDir
    Path dir;

    private static HeapReader.Result read(Path p) throws IOException {
        return HeapReader.read(p, p.getFileName().toString(), p.toString().endsWith(".gz"), HeapReader.Progress.NONE);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // file, live threads (thread roots), ReentrantLock$NonfairSync instances, id size, heap dumps note
        "mat-sunjdk1.5.0_13-x32.hprof, 4, 0, 32",
        "mat-sunjdk1.5.0_12-x64.hprof, 6, 0, 64",
        "mat-sunjdk6u18-x64-reentrantlocks.hprof, 14, 204, 64",
        "mat-sunjdk6u30-x64-compressedoops.hprof, 5, 16, 64",
        "mat-helpsample-sunjdk6u07-x32.hprof, 17, 268, 32",
        "mat-sunjdk6u31-hprofagent.hprof, 7, 16, 32",
        "mat-oraclejdk7u21-hprofagent.hprof, 6, 54, 32",
        "mat-oraclejdk7u21-x64.hprof, 5, 94, 64",
        "mat-oraclejdk8u05-x64.hprof, 5, 11, 64",
        "mat-openjdk11.0.4-ubuntu-x64.hprof.gz, 6, 62, 64",
        "mat-adoptopenjdk11.0.4-x64-522MB-uncompressed.hprof.gz, 6, 0, 64",
        "tokuhirom-jdk11.0.5-jcmd-gc-heap_dump-minimal.hprof, 7, 2, 64"})
    void everyCorpusHeapDumpIsRead(String file, int live, int reentrantLocks, int idBits) throws IOException {
        Path p = Dumps.corpus("hprof/" + file);
        InputReport report = Dumps.report(p);
        assertEquals(InputFormat.HPROF, report.format());
        assertEquals(InputStatus.READ, report.status(), report.message());
        assertTrue(report.message().contains(idBits + "-bit ids"), report.message());
        HeapReader.Result r = read(p);
        Snapshot s = r.snapshot();
        assertEquals(live, s.threads().stream().filter(JvmThread::alive).count(), "live threads");
        assertEquals(reentrantLocks, r.lockClasses().getOrDefault("java.util.concurrent.locks.ReentrantLock$NonfairSync", 0));
        assertTrue(s.threads().stream().filter(JvmThread::alive).allMatch(t -> !t.name().isEmpty()), "every live thread named");
        assertTrue(s.threads().stream().anyMatch(t -> t.name().equals("main") || t.name().equals("Finalizer")));
    }

    @Test
    void namedOwnersOfHeldLocksJdk6() throws IOException {
        Snapshot s = read(Dumps.corpus("hprof/mat-sunjdk6u18-x64-reentrantlocks.hprof")).snapshot();
        // six RMI connection threads each hold their connection's lock (MAT: exclusiveOwnerThread)
        assertEquals(6, s.synchronizers().size());
        for (SynchronizerState st : s.synchronizers()) {
            String owner = s.threads().get(st.owner().orElseThrow()).name();
            assertTrue(owner.startsWith("RMI TCP Connection("), owner);
            assertEquals(1, st.exclusiveHolds());
        }
        assertEquals("JDK 1.6.0_16-b01", s.jvm().vmVersion().orElseThrow());
    }

    @Test
    void monitorsInUseAreCountedWhereTheDumpListsThem() throws IOException {
        // SOURCES.tsv: ROOT_MONITOR_USED x2 in this JDK 5 dump
        assertTrue(read(Dumps.corpus("hprof/mat-sunjdk1.5.0_13-x32.hprof")).message().contains("2 monitors in use"));
    }

    @Test
    void threadsHaveStacksFromTheDumpsTraces() throws IOException {
        Snapshot s = read(Dumps.corpus("hprof/tokuhirom-jdk11.0.5-jcmd-gc-heap_dump-minimal.hprof")).snapshot();
        JvmThread reaper = s.threads().stream().filter(t -> t.name().equals("process reaper")).findFirst().orElseThrow();
        assertEquals("java.lang.ProcessHandleImpl.waitForProcessExit0", reaper.frames().get(0).method());
        assertEquals(12, reaper.javaId().getAsLong());
        assertTrue(reaper.address().isPresent(), "eetop, the JavaThread address jstack prints as tid=");
        assertTrue(reaper.daemon());
    }

    @Test
    void agentDumpsUseTheLastHeapDumpAndSaySo() throws IOException {
        HeapReader.Result r = read(Dumps.corpus("hprof/mat-oraclejdk7u21-hprofagent.hprof"));
        assertTrue(r.message().contains("2 heap dumps in the file, the last one used"), r.message());
        // the agent's thread roots carry allocation sites, not stacks: none are made up
        assertTrue(r.snapshot().threads().stream().allMatch(t -> t.frames().isEmpty()));
    }

    @Test
    void truncatedDumpKeepsWhatWasReadAndSaysWhere() throws Exception {
        Path whole = dir.resolve("whole.hprof");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(Dumps.sample("jdk17/dead-owner.hprof.gz")));
                OutputStream out = Files.newOutputStream(whole)) {
            in.transferTo(out);
        }
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.hprof"), java.util.Arrays.copyOf(bytes, bytes.length * 9 / 10));
        InputReport r = Dumps.report(cut);
        assertEquals(InputStatus.PARTIAL, r.status(), r.message());
        assertTrue(r.message().matches(".*truncated at byte [0-9,]+ in a HEAP_DUMP_SEGMENT, read (8|9)[0-9]% of it.*"), r.message());
        HeapReader.Result heap = read(cut);
        assertFalse(heap.complete());
        // what lies before the damage is kept: the classes, the locks, the threads whose roots came first
        assertTrue(heap.lockClasses().getOrDefault("java.util.concurrent.locks.ReentrantLock$NonfairSync", 0) > 0);
        assertFalse(heap.snapshot().threads().isEmpty());
    }

    @Test
    void notAHeapDumpIsRefusedWithItsFirstBytes() throws Exception {
        Path fake = Files.writeString(dir.resolve("x.hprof"), "JAVA PROFILE 2.0\u0000garbage");
        InputReport r = Dumps.report(fake);
        assertEquals(InputFormat.UNKNOWN, r.format(), r.message());
        assertEquals("an HPROF header of a version lockscope does not know: JAVA PROFILE 2.0", r.message());
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"jdk17/dead-owner.hprof.gz", "jdk25/dead-owner.hprof.gz"})
    void threadStatesAreReadAsJvmtiDefinesThem(String sample) throws IOException {
        // threads whose state a person can see in the scenario: main sleeps out its ten minutes, the batch
        // writers are parked on the dead owner's lock, the Finalizer waits in Object.wait()
        io.lockscope.model.Snapshot s = read(Dumps.sample(sample)).snapshot();
        io.lockscope.model.JvmThread main = Dumps.thread(s, "main");
        assertEquals(io.lockscope.model.ThreadState.TIMED_WAITING, main.state());
        assertEquals("(sleeping)", main.stateDetail());
        io.lockscope.model.JvmThread writer = Dumps.thread(s, "batch-writer-1");
        assertEquals(io.lockscope.model.ThreadState.WAITING, writer.state());
        assertEquals("(parking)", writer.stateDetail());
        io.lockscope.model.JvmThread finalizer = Dumps.thread(s, "Finalizer");
        assertEquals(io.lockscope.model.ThreadState.WAITING, finalizer.state());
        assertEquals("(on object monitor)", finalizer.stateDetail());
    }

    @Test
    void lockClassesCountedWhateverTheirState() throws IOException {
        Map<String, Integer> counts = read(Dumps.corpus("hprof/mat-openjdk11.0.4-ubuntu-x64.hprof.gz")).lockClasses();
        assertEquals(1, counts.get("java.util.concurrent.locks.ReentrantReadWriteLock$FairSync"));
    }
}
