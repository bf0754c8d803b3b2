package io.lockscope.analyzer.threaddump;

import io.lockscope.model.Frame;
import io.lockscope.model.JvmHints;
import io.lockscope.model.JvmThread;
import io.lockscope.model.LockAction;
import io.lockscope.model.LockRef;
import io.lockscope.model.Snapshot;
import io.lockscope.model.SourceRef;
import io.lockscope.model.ThreadState;
import io.lockscope.model.Visibility;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes {@code jcmd <pid> Thread.dump_to_file FILE} (JDK 21+) in its default, plain-text form,
 * as {@code jdk.internal.vm.ThreadDumper} writes it: the pid, the time and the runtime version on
 * the first lines, then every thread of every container, platform and virtual alike, each as
 * <pre>
 * #24 "audit-reader" WAITING 2026-12-07T15:42:53.371621205Z     (JDK 25: its state, and when it was taken)
 *     at java.base/jdk.internal.misc.Unsafe.park(Native Method)
 *     - parking to wait for &lt;java.util.concurrent.locks.ReentrantLock$NonfairSync@222ae013&gt;
 * </pre>
 * with HotSpot's lock lines under the frame they belong to, the object as
 * {@code Objects.toIdentityString} names it. JDK 21 to 24 print the id, the name, "virtual", and
 * the frames alone. The facts are the JSON form's ({@link JsonThreadDumpDecoder}), read into the
 * same snapshot: no owner of a java.util.concurrent lock, ever.
 */
final class DumpToFileTextDecoder extends OneDumpText {

    /** {@code #24 "audit-reader" WAITING 2026-12-07T15:42:53.371621205Z}, {@code #31 "" virtual}. */
    static final Pattern HEADER = Pattern.compile("^#(\\d+) \"(.*)\"( virtual)?(?: ([A-Z_]+) (\\S+))?$");
    private static final Pattern LOCK = Pattern.compile("^- (locked|parking to wait for|waiting to lock|waiting on) <(.+)>$");

    private final String file;
    private OptionalLong pid = OptionalLong.empty();
    private Optional<Instant> time = Optional.empty();
    private Optional<String> version = Optional.empty();
    private final List<JvmThread> threads = new ArrayList<>();
    private boolean sawState;
    private int preambleLines;

    // the thread being read
    private Matcher header;
    private long headerLine;
    private final List<String> frames = new ArrayList<>();
    private final List<List<LockAction>> locks = new ArrayList<>();

    DumpToFileTextDecoder(String file) {
        this.file = file;
    }

    @Override
    Snapshot snapshot() {
        if (threads.isEmpty()) {
            return null;
        }
        return new Snapshot(file, "jcmd-text", SourceRef.line(file, 1), time, new JvmHints(pid, version.map(v -> "JDK " + v),
                Optional.empty()), threads, sawState ? Visibility.SHOWN : Visibility.NOT_SHOWN, Visibility.NOT_SHOWN, List.of(), List.of());
    }

    @Override
    public void line(String raw, long n) {
        String line = raw.strip();
        if (line.isEmpty()) {
            return;
        }
        if (line.charAt(0) == '#') {
            Matcher m = HEADER.matcher(line);
            if (m.matches()) {
                endThread();
                header = m;
                headerLine = n;
                return;
            }
        }
        if (header == null) {
            preamble(line);
            return;
        }
        if (line.startsWith("- ")) {
            Matcher m = LOCK.matcher(line);
            if (m.matches() && !frames.isEmpty()) {
                locks.get(locks.size() - 1).add(new LockAction(kind(m.group(1)), JsonThreadDumpDecoder.monitor(m.group(2)),
                        SourceRef.line(file, n)));
            }
            return; // "- lock is eliminated": a monitor the compiler took away
        }
        // "    at frame" on JDK 25, the frame alone, indented, before
        frames.add(line.startsWith("at ") ? line.substring(3) : line);
        locks.add(new ArrayList<>());
    }

    /** The lines above the first thread: the pid, the time, the runtime version, in that order. */
    private void preamble(String line) {
        switch (preambleLines++) {
            case 0 -> pid = line.chars().allMatch(Character::isDigit) && line.length() < 19
                    ? OptionalLong.of(Long.parseLong(line)) : OptionalLong.empty();
            case 1 -> time = JsonThreadDumpDecoder.parseInstant(line);
            case 2 -> version = Optional.of(line);
            default -> {
                // nothing else is printed there
            }
        }
    }

    @Override
    void endThread() {
        if (header == null) {
            return;
        }
        SourceRef at = SourceRef.line(file, headerLine);
        List<Frame> built = new ArrayList<>(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            built.add(DumpLines.toFrame(JsonThreadDumpDecoder.stripModule(frames.get(i)), locks.get(i)));
        }
        String state = header.group(4);
        sawState |= state != null;
        threads.add(new JvmThread(threads.size(), header.group(2), OptionalLong.of(Long.parseLong(header.group(1))),
                Optional.empty(), Optional.empty(), state == null ? ThreadState.UNKNOWN : ThreadState.parse(state), "", false,
                header.group(3) != null, Optional.empty(), built, Optional.empty(), at, true));
        header = null;
        frames.clear();
        locks.clear();
    }

    private static LockAction.Kind kind(String words) {
        return switch (words) {
            case "locked" -> LockAction.Kind.LOCKED;
            case "parking to wait for" -> LockAction.Kind.PARKING;
            case "waiting to lock" -> LockAction.Kind.WAITING_TO_LOCK;
            default -> LockAction.Kind.WAITING_ON;
        };
    }
}
