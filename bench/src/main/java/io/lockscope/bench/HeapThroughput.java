package io.lockscope.bench;

import io.lockscope.analyzer.heap.HeapReader;
import io.lockscope.model.JvmThread;
import io.lockscope.model.SynchronizerState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads one heap dump the way {@code analyze} does and prints what it found, the time, the
 * throughput and the peak resident memory. Used by bench/heap.sh.
 *
 * <p>Usage: java -cp "$(bench/classpath.sh)" io.lockscope.bench.HeapThroughput FILE.hprof
 */
public final class HeapThroughput {

    private HeapThroughput() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        long start = System.nanoTime();
        HeapReader.Result r = HeapReader.read(file, file.toString(), false, HeapReader.Progress.NONE);
        double seconds = (System.nanoTime() - start) / 1e9;
        long locks = r.lockClasses().values().stream().mapToLong(Integer::longValue).sum();
        long held = r.snapshot().synchronizers().stream().filter(s -> s.owner().isPresent() || !s.readers().isEmpty()).count();
        long deadOwned = r.snapshot().synchronizers().stream().filter(s -> s.owner().isPresent()
                && !r.snapshot().threads().get(s.owner().get()).alive()).count();
        long threads = r.snapshot().threads().stream().filter(JvmThread::alive).count();
        long queued = r.snapshot().synchronizers().stream().mapToLong(s -> s.queued().size()).sum();
        System.out.printf("lockscope: %d locks, %d held, %d by dead threads, %d live threads, %d queued; %.2f s = %.0f MB/s; peak RSS %s%n",
                locks, held, deadOwned, threads, queued, seconds, Files.size(file) / seconds / 1e6, ThreadDumpThroughput.peakRss());
        System.err.println("  passes: " + r.passNanos().stream().map(n -> String.format("%.2f s", n / 1e9)).toList());
        for (SynchronizerState s : r.snapshot().synchronizers()) {
            if (s.owner().isPresent() && !r.snapshot().threads().get(s.owner().get()).alive()) {
                System.err.println("  dead owner: " + r.snapshot().threads().get(s.owner().get()).name() + " holds " + s.lock());
            }
        }
    }
}
