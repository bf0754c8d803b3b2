package io.lockscope.analyzer.threaddump;

import io.lockscope.engine.Words;
import io.lockscope.model.JvmHints;
import io.lockscope.model.LockAction;
import io.lockscope.model.LockRef;
import io.lockscope.model.SourceRef;
import io.lockscope.model.ThreadState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes the thread dump of Hadoop's {@code ReflectionUtils.printThreadInfo}: what the
 * {@code /stacks} page of a Hadoop, HBase or Hive daemon serves, what those daemons write to their
 * logs, and what the projects that copied it print (HBase's {@code Threads.printThreadInfo},
 * Artemis, Accumulo, Ratis):
 * <pre>
 * Process Thread Dump: jsp requested
 * 43 active threads
 * Thread 12 (stocker):
 *   State: BLOCKED
 *   Blocked count: 3
 *   Waited count: 1
 *   Blocked on Scenario$Ledger@7028603
 *   Blocked by 13 (auditor)
 *   Stack:
 *     app//Scenario.nested(Scenario.java:120)
 * </pre>
 * It asks ThreadMXBean for one thread at a time, twenty frames deep, without locked monitors or
 * synchronizers: a thread blocked on a monitor names its owner, which is all that is known of who
 * holds what; a waiting thread names what it waits for (a monitor in {@code Object.wait}, or the lock
 * it is parked on), never its owner; a timed wait names nothing. "Blocked time" and "Waited time"
 * follow the counts when the JVM's contention monitoring is on. Several dumps in one file (a log)
 * are read one by one; a line of any other shape ends the dump.
 */
final class HadoopStacksDecoder implements LogDumps {

    static final String START = "Process Thread Dump:";
    /** How many lines of a log may come between a dump's before they end it. */
    private static final int MAX_STRAYS = 3;
    /** The time a logger put before the first line: "2026-12-07 17:45:20,995 INFO ...", ISO 8601 with a T too. */
    private static final Pattern LOGGED_AT = Pattern.compile("^\\[?(\\d{4}-\\d\\d-\\d\\d)[ T](\\d\\d:\\d\\d:\\d\\d)(?:[,.](\\d{1,9}))?");
    private static final String THREAD = "Thread ";
    private static final int FRAMES = 20;
    /** The dump's second line, "43 active threads", and what comes before it. */
    private static final Pattern COUNT = Pattern.compile("^(.*?)(\\d+) active threads$");

    private final String file;
    private final ForeignDump dump;
    private long announced = -1;
    private int inactive;
    private boolean inStack;
    /** How many lines just before this one belonged to no dump. */
    private int strays;
    /** The lock the thread's "Waiting on" or "Blocked on" line names, put on its top frame when the thread ends. */
    private LockRef waitsFor;
    private long waitLine;
    /**
     * What a pipeline puts before every line of the dump (a container's log: "2026-12-07T18:52:03.1Z
     * stdout F "), learned from the line after the first, "43 active threads"; null if none.
     */
    private Pattern prefix;
    private boolean expectCount;
    private String learned = "";
    private String cutShort = "";
    private long openAtEnd;

    /** A decoder of the dumps of a file, labelled {@code labelPrefix} and their number. */
    HadoopStacksDecoder(String labelPrefix, SnapshotSink sink) {
        this.file = labelPrefix.substring(0, labelPrefix.lastIndexOf('#'));
        this.dump = new ForeignDump(file, labelPrefix, "hadoop-stacks", sink).synchronizerOwnersNotShown().threadByThread();
    }

    @Override
    public int dumps() {
        return dump.count();
    }

    /** The first prefix a pipeline put before every line of a dump, as it was seen; empty if none. */
    @Override
    public String learnedPrefix() {
        return learned;
    }

    @Override
    public String cutShort() {
        return cutShort;
    }

    @Override
    public long openAtEnd() {
        return openAtEnd;
    }

    /** A line of the file; false if it belongs to no dump of Hadoop's (it may end one). */
    @Override
    public boolean line(String whole, long n) {
        if (whole.contains(START)) {
            // in a daemon's log the first line carries the logger's prefix
            finish(false);
            dump.start(n, loggedAt(whole));
            prefix = null;
            expectCount = true;
            return true;
        }
        if (!dump.open()) {
            return false;
        }
        String raw = withoutPrefix(whole);
        ForeignThread thread = dump.thread();
        if (raw.startsWith("    ") && inStack) {
            thread.frame(raw.strip());
        } else if (raw.startsWith("  ") && thread != null && field(thread, raw.substring(2), n)) {
            return true;
        } else if (raw.startsWith(THREAD) && raw.endsWith(":")) {
            startThread(raw.substring(THREAD.length(), raw.length() - 1), n);
        } else if (announced < 0 && dump.threads().isEmpty() && raw.endsWith(" active threads")) {
            announced = DumpLines.parseLong(raw.substring(0, raw.length() - 15).strip()).orElse(-1);
        } else if (raw.equals("  Inactive")) {
            inactive++; // it ended between the listing of ids and its turn
        } else if (strays < MAX_STRAYS) {
            // a log's next line, or a line that came between the dump's (another thread's output, a
            // damaged write): the dump ends after a few such lines unless the next is the dump's again
            strays++;
            return false;
        } else {
            finish(false);
            return false;
        }
        strays = 0;
        return true;
    }

    /** The line without the prefix the dump's second line taught; the line as it is if it has none. */
    private String withoutPrefix(String line) {
        if (expectCount) {
            expectCount = false;
            Matcher m = COUNT.matcher(line);
            if (m.matches() && !m.group(1).isEmpty()) {
                prefix = LogPrefix.exactShapeOf(m.group(1));
                learned = learned.isEmpty() ? m.group(1).strip() : learned;
            }
        }
        if (prefix == null) {
            return line;
        }
        Matcher m = prefix.matcher(line);
        return m.lookingAt() ? line.substring(m.end()) : line;
    }

    /** A thread as Hadoop names it (its getTaskName): "12 (stocker)", or "12" for a thread without a name. */
    private record Task(OptionalLong id, String name) {
        static Task of(String task) {
            int open = task.indexOf(" (");
            return new Task(DumpLines.parseLong(open < 0 ? task : task.substring(0, open)),
                    open < 0 || !task.endsWith(")") ? "" : task.substring(open + 2, task.length() - 1));
        }
    }

    private void startThread(String task, long n) {
        endThread();
        Task t = Task.of(task);
        dump.startThread(t.name(), n).javaId = t.id();
    }

    /** A line of the thread's fields, after its two spaces; false if it is none. */
    private boolean field(ForeignThread thread, String f, long n) {
        if (f.startsWith("State: ")) {
            thread.state = ThreadState.parse(f.substring(7).strip());
        } else if (f.startsWith("Waiting on ") || f.startsWith("Blocked on ")) {
            String lock = f.substring(11).strip();
            waitsFor = lock.equals("null") ? null : ThreadMXBeanText.hashLock(lock);
            waitLine = n;
        } else if (f.startsWith("Blocked by ")) {
            // "Blocked by 13 (auditor)": thread 13 holds that monitor, in a frame the dump does not show
            Task owner = Task.of(f.substring(11).strip());
            if (waitsFor != null) {
                dump.owners().add(owner.id().orElse(-1), owner.name(), waitsFor, LockAction.Kind.WAITING_TO_LOCK, SourceRef.line(file, n));
            }
        } else if (f.equals("Stack:")) {
            inStack = true;
        } else if (!f.matches("[A-Z][a-z]+ (count|time): -?\\d+")) {
            // "Blocked count: 3", "Waited time: -1"; Artemis's copy spells it "Wtaited count"
            return false;
        }
        return true;
    }

    /** When the daemon logged the dump, read as UTC (a log's local time names no zone); empty if no time leads the line. */
    private static Optional<Instant> loggedAt(String line) {
        Matcher m = LOGGED_AT.matcher(line);
        return m.find() ? DumpLines.localTime(m.group(1) + "T" + m.group(2) + (m.group(3) == null ? "" : "." + m.group(3)))
                : Optional.empty();
    }

    private void endThread() {
        ForeignThread thread = dump.thread();
        if (thread == null) {
            return;
        }
        thread.endFrame();
        if (waitsFor != null) {
            thread.waitByState(waitsFor, SourceRef.line(file, waitLine));
        }
        if (thread.frames.size() == FRAMES) {
            thread.detail = "its stack cut at " + FRAMES + " frames";
        }
        dump.endThread();
        waitsFor = null;
        inStack = false;
    }

    /** The dump being read, if any, ends; {@code endOfFile}: with the file, which may cut it short. */
    @Override
    public void finish(boolean endOfFile) {
        if (!dump.open()) {
            return;
        }
        endThread();
        strays = 0;
        int listed = dump.threads().size();
        openAtEnd = endOfFile && listed > 0 ? dump.line() : 0;
        if (endOfFile && announced >= 0 && listed + inactive < announced) {
            cutShort = "the dump at line " + dump.line() + " lists " + (listed + inactive) + " of the " + Words.count(announced, "thread")
                    + " it announces, then the file ends: cut short";
        }
        dump.finish(JvmHints.none(), List.of());
        announced = -1;
        inactive = 0;
    }
}
