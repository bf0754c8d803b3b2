package io.lockscope.analyzer.threaddump;

import io.lockscope.model.JvmHints;
import io.lockscope.model.LockAction;
import io.lockscope.model.LockRef;
import io.lockscope.model.Snapshot;
import io.lockscope.model.SourceRef;
import io.lockscope.model.ThreadState;
import io.lockscope.model.Visibility;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes the thread dump of Dropwizard Metrics' {@code ThreadDump}: what a Dropwizard
 * application's admin {@code /threads} serves, and any service that mounts Metrics'
 * {@code ThreadDumpServlet}. Threads come last-started first, each as
 * <pre>
 * "closer" id=14 state=BLOCKED
 *     - waiting to lock &lt;0x3c9c9440&gt; (a Scenario$Inventory)
 *      owned by stocker id=12
 *     at app//Scenario.nested(Scenario.java:120)
 *       - locked Scenario$Register@5e669ebe
 *
 *     Locked synchronizers: count = 1
 *       - java.util.concurrent.locks.ReentrantLock$NonfairSync@1b6d3586
 * </pre>
 * Its lock lines keep two slips of the code that prints them, which a reader must not believe:
 * <ul>
 *   <li>a thread that waits (in {@code Object.wait}, or parked) gets "- waiting on" and then a
 *       "- locked" of the same lock, above its stack: it does not hold what it waits for;
 *   <li>of the monitors a thread holds, the one it took last (the first ThreadMXBean lists) is left
 *       out: known only through the threads that wait for it, whose "owned by" names the holder.
 * </ul>
 * The owner of a java.util.concurrent lock that a parked thread's "owned by" names and that the
 * dump does not list has ended holding it. One dump per file; no pid, no time.
 */
final class MetricsThreadDumpDecoder extends OneDumpText {

    /** {@code "name" id=14 state=BLOCKED}, then " (suspended)" or " (running in native)" at the end of its first lines. */
    static final Pattern HEADER = Pattern.compile("^\"(.*)\" id=(\\d+) state=([A-Z_]+)(.*)$");
    private static final Pattern WAIT = Pattern.compile("^- (waiting on|locked|waiting to lock) <0x([0-9a-f]+)> \\(a (\\S+)\\)");
    private static final String SYNCHRONIZERS = "Locked synchronizers: count = ";

    private final String file;
    private final List<ForeignThread> threads = new ArrayList<>();
    private final NamedOwners owners = new NamedOwners(true);
    private ForeignThread thread;
    /** The lock of the thread's "waiting on" or "waiting to lock" line, and the owner its "owned by" names. */
    private LockRef waitsFor;
    private long waitLine;
    private long ownerId = -1;
    private String ownerName;
    private boolean inSynchronizers;

    MetricsThreadDumpDecoder(String file) {
        this.file = file;
    }

    @Override
    Snapshot snapshot() {
        if (threads.isEmpty()) {
            return null;
        }
        return new Snapshot(file, "dropwizard-threads", SourceRef.line(file, 1), Optional.empty(),
                JvmHints.none(), owners.build(threads, file),
                Visibility.SHOWN, Visibility.SHOWN, List.of(), List.of());
    }

    @Override
    public void line(String raw, long n) {
        String line = raw.strip();
        if (line.isEmpty()) {
            return;
        }
        if (line.charAt(0) == '"' && line.length() <= DumpLines.MAX_THREAD_HEADER) {
            Matcher h = HEADER.matcher(raw);
            if (h.matches()) {
                startThread(h, n);
                return;
            }
        }
        if (thread == null) {
            return;
        }
        if (line.startsWith("at ")) {
            thread.frame(line.substring(3));
        } else if (line.startsWith(SYNCHRONIZERS)) {
            inSynchronizers = true;
        } else if (line.startsWith("owned by ")) {
            int id = line.lastIndexOf(" id=");
            if (id > 9) {
                ownerName = line.substring(9, id);
                ownerId = DumpLines.parseLong(line.substring(id + 4)).orElse(-1);
            }
        } else if (line.startsWith("- ")) {
            lockLine(line, n);
        }
    }

    private void lockLine(String line, long n) {
        Matcher m = WAIT.matcher(line);
        if (m.find() && !inSynchronizers) {
            // above the stack: the wait, and after "waiting on" a "locked" of the same lock, which is not held
            if (!m.group(1).equals("locked")) {
                waitsFor = new LockRef(Long.toHexString(Long.parseLong(m.group(2), 16)), m.group(3));
                waitLine = n;
            }
            return;
        }
        // "- locked Scenario$Register@5e669ebe" under its frame, "- java.util.concurrent.locks.ReentrantLock$NonfairSync@1b6d3586"
        // in the list of synchronizers
        LockRef lock = DumpLines.classAtHash(line.substring(2));
        if (lock == null) {
            return;
        }
        if (inSynchronizers) {
            thread.owns(lock);
        } else {
            thread.lock(new LockAction(LockAction.Kind.LOCKED, lock, SourceRef.line(file, n)));
        }
    }

    private void startThread(Matcher h, long n) {
        endThread();
        thread = new ForeignThread(h.group(1), n);
        thread.javaId = DumpLines.parseLong(h.group(2));
        thread.state = ThreadState.parse(h.group(3));
        threads.add(thread);
    }

    @Override
    void endThread() {
        if (thread == null) {
            return;
        }
        thread.endFrame();
        if (waitsFor != null) {
            SourceRef at = SourceRef.line(file, waitLine);
            LockAction.Kind kind = thread.waitByState(waitsFor, at);
            if (kind != null && ownerName != null) {
                owners.add(ownerId, ownerName, waitsFor, kind, at);
            }
        }
        thread = null;
        waitsFor = null;
        ownerId = -1;
        ownerName = null;
        inSynchronizers = false;
    }
}
