package io.lockscope.bench;

import io.lockscope.analyzer.jfr.JfrReader;
import io.lockscope.model.Recording;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads one recording the way {@code analyze} does and prints what it kept, the time, the
 * throughput and the peak resident memory. Used by bench/jfr.sh.
 */
public final class JfrThroughput {

    private JfrThroughput() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        long start = System.nanoTime();
        int[] dumps = {0};
        JfrReader.Result r = JfrReader.read(file, file.toString(), false, s -> dumps[0]++);
        double seconds = (System.nanoTime() - start) / 1e9;
        Recording rec = r.recording();
        long events = rec.eventCounts().values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("lockscope: %,d lock and thread events, %d contended locks, %d thread dumps; %.2f s = %.0f MB/s; peak RSS %s%n",
                events, rec.contentions().size(), dumps[0], seconds, Files.size(file) / seconds / 1e6, ThreadDumpThroughput.peakRss());
    }
}
