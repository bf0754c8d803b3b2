package io.lockscope.analyzer.input;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lockscope.analyzer.Dumps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pipe's copy: whole when the pipe ends, and stopped, with its reason, before the disk fills. */
class PipeSpoolTest {

    @TempDir
    Path dir;

    private Path pipeOf(byte[] bytes) throws Exception {
        return Dumps.namedPipe(dir.resolve("dump.fifo"), bytes, false);
    }

    @Test
    void aPipeThatEndsIsCopiedWhole() throws Exception {
        byte[] dump = Files.readAllBytes(Dumps.sample("jdk17/monitor-deadlock.txt"));
        PipeSpool.Spooled s = PipeSpool.copy(pipeOf(dump), Duration.ofSeconds(30), 0, b -> { });
        assertTrue(s.ended(), s.stopped());
        assertEquals(dump.length, s.bytes());
        assertArrayEquals(dump, Files.readAllBytes(s.file()));
        Files.delete(s.file());
    }

    @Test
    void aPipeThatKeepsGivingKeepsItsCopyGoingPastItsFixedTime() throws Exception {
        // a dump streamed in slowly (kubectl exec ... cat over a slow link): a kilobyte every 300 ms for 3 s, where
        // the fixed time is 1 s and each byte buys 10 ms more
        byte[] dump = Files.readAllBytes(Dumps.sample("jdk17/monitor-deadlock.txt"));
        Path fifo = dir.resolve("slow.fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Thread writer = new Thread(() -> {
            try (java.io.OutputStream out = Files.newOutputStream(fifo)) {
                int chunk = dump.length / 10 + 1;
                for (int at = 0; at < dump.length; at += chunk) {
                    out.write(dump, at, Math.min(chunk, dump.length - at));
                    out.flush();
                    Thread.sleep(300);
                }
            } catch (IOException | InterruptedException e) {
                // the copy stopped reading: the test says what it expected
            }
        });
        writer.setDaemon(true);
        writer.start();
        PipeSpool.Spooled s = PipeSpool.copy(fifo, Duration.ofSeconds(1), 100, b -> { });
        assertTrue(s.ended(), s.stopped());
        assertArrayEquals(dump, Files.readAllBytes(s.file()));
        Files.delete(s.file());
    }

    @Test
    void aPipeThatGivesNothingMoreIsCutOffAtItsTime() throws Exception {
        byte[] dump = Files.readAllBytes(Dumps.sample("jdk17/monitor-deadlock.txt"));
        Path fifo = Dumps.namedPipe(dir.resolve("stuck.fifo"), dump, true);
        PipeSpool.Spooled s = PipeSpool.copy(fifo, Duration.ofSeconds(1), 0, b -> { });
        assertEquals("it had not ended after 1 s (half the input's time, --input-timeout)", s.stopped());
        assertArrayEquals(dump, Files.readAllBytes(s.file()), "what it gave is kept");
        Files.delete(s.file());
    }

    @Test
    void theCopyStopsBeforeTheDiskRunsLow() throws Exception {
        // more free space asked for than any disk has: the copy stops before its first write, and says why
        PipeSpool.Spooled s = PipeSpool.copy(pipeOf(Files.readAllBytes(Dumps.sample("jdk17/monitor-deadlock.txt"))),
                Duration.ofSeconds(30), 0, Long.MAX_VALUE / 4, b -> { });
        assertEquals(0, s.bytes());
        assertTrue(s.stopped().startsWith("the disk of the temporary folder was nearly full ("), s.stopped());
        assertEquals(0, Files.size(s.file()));
        Files.delete(s.file());
    }

    @Test
    void onlyDevicesOtherThanTerminalsAreRefused() throws Exception {
        assertEquals("a device (/dev/zero), not a file or a pipe: it gives bytes for as long as one reads",
                PipeSpool.device(Path.of("/dev/zero")).orElseThrow());
        assertTrue(PipeSpool.device(pipeOf(new byte[0])).isEmpty(), "a named pipe is read");
        assertTrue(PipeSpool.device(PipeSpool.STANDARD_INPUT).isEmpty(), "standard input is read");
    }
}
