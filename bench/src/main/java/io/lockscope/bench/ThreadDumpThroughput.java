package io.lockscope.bench;

import io.lockscope.analyzer.threaddump.ThreadDumpReader;
import io.lockscope.graph.LockGraph;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads one large text file of thread dumps the way {@code analyze} does (decode every dump,
 * build its lock graph, look for cycles) and prints the throughput. Used by bench/threaddump.sh,
 * which puts the figure beside {@code cat} of the same file in the same run.
 *
 * <p>Usage: java -cp "$(bench/classpath.sh)" io.lockscope.bench.ThreadDumpThroughput FILE [RUNS]
 */
public final class ThreadDumpThroughput {

    private ThreadDumpThroughput() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        long size = Files.size(file);
        double best = Double.MAX_VALUE;
        long[] counts = new long[3];
        for (int run = 0; run < runs; run++) {
            counts[0] = counts[1] = counts[2] = 0;
            long start = System.nanoTime();
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                ThreadDumpReader.readText(in, file.toString(), io.lockscope.analyzer.threaddump.TextDialect.JSTACK, s -> {
                    counts[0]++;
                    counts[1] += s.threads().size();
                    counts[2] += LockGraph.of(s).cycles().size();
                });
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            best = Math.min(best, seconds);
            System.err.printf("run %d: %.2f s%n", run + 1, seconds);
        }
        System.out.printf("lockscope: %d dumps, %d threads, %d cycles; best of %d runs %.2f s = %.0f MB/s; peak RSS %s%n",
                counts[0], counts[1], counts[2], runs, best, size / best / 1e6, peakRss());
    }

    /** VmHWM from /proc: the most memory this process ever had resident. */
    static String peakRss() {
        try {
            List<String> status = Files.readAllLines(Path.of("/proc/self/status"));
            return status.stream().filter(l -> l.startsWith("VmHWM:")).map(l -> l.substring(6).strip()).findFirst().orElse("n/a");
        } catch (IOException e) {
            return "n/a";
        }
    }
}
