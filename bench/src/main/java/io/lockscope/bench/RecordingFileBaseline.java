package io.lockscope.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/** The JDK's RecordingFile reading every event of a recording: the baseline lockscope's JFR reading is measured against. */
public final class RecordingFileBaseline {

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        boolean stacks = args.length > 1 && args[1].equals("stacks");
        long start = System.nanoTime();
        long events = 0;
        long stackFrames = 0;
        try (RecordingFile r = new RecordingFile(file)) {
            while (r.hasMoreEvents()) {
                RecordedEvent e = r.readEvent();
                events++;
                if (stacks && e.getStackTrace() != null) {
                    stackFrames += e.getStackTrace().getFrames().size();
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("RecordingFile%s: %,d events, %,d frames; %.2f s = %.0f MB/s; peak RSS %s%n",
                stacks ? " with stacks" : "", events, stackFrames, seconds,
                Files.size(file) / seconds / 1e6, LibraryLockExtraction.peakRss());
    }
}
