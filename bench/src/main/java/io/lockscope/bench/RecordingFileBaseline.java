package io.lockscope.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * The JDK's RecordingFile reading every event of a recording: the baseline lockscope's JFR reading
 * is measured against. Modes: no argument reads each event and touches nothing; {@code stacks}
 * also reads each event's stack; {@code fields} reads, from the lock events, the fields lockscope
 * reads (lock class, address, thread, previous owner) and counts waits per lock, the same job
 * written plainly on RecordingFile.
 */
public final class RecordingFileBaseline {

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        String mode = args.length > 1 ? args[1] : "";
        long start = System.nanoTime();
        long events = 0;
        long stackFrames = 0;
        Map<String, long[]> perLock = new HashMap<>();
        try (RecordingFile r = new RecordingFile(file)) {
            while (r.hasMoreEvents()) {
                RecordedEvent e = r.readEvent();
                events++;
                if (mode.equals("stacks") && e.getStackTrace() != null) {
                    stackFrames += e.getStackTrace().getFrames().size();
                } else if (mode.equals("fields")) {
                    String type = e.getEventType().getName();
                    String field = type.equals("jdk.JavaMonitorEnter") ? "monitorClass"
                            : type.equals("jdk.ThreadPark") ? "parkedClass" : null;
                    if (field != null && e.getValue(field) instanceof RecordedClass c) {
                        RecordedThread t = e.getThread();
                        RecordedThread owner = field.equals("monitorClass") ? e.getThread("previousOwner") : null;
                        long[] n = perLock.computeIfAbsent(c.getName() + "@" + e.getLong("address"), k -> new long[2]);
                        n[0]++;
                        n[1] += e.getDuration().toNanos() + (t == null ? 0 : 1) + (owner == null ? 0 : 1);
                    }
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("RecordingFile%s: %,d events, %,d frames, %d locks; %.2f s = %.0f MB/s; peak RSS %s%n",
                mode.isEmpty() ? "" : " with " + mode, events, stackFrames, perLock.size(), seconds,
                Files.size(file) / seconds / 1e6, LibraryLockExtraction.peakRss());
    }
}
