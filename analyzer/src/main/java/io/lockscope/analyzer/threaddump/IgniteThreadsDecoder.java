package io.lockscope.analyzer.threaddump;

import io.lockscope.model.JvmHints;
import io.lockscope.model.LockAction;
import io.lockscope.model.LockRef;
import io.lockscope.model.ReportedDeadlock;
import io.lockscope.model.SourceRef;
import io.lockscope.model.ThreadState;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes Apache Ignite's thread dump, {@code IgniteUtils.dumpThreads}, which a node writes into its
 * log when a system-critical thread is blocked, a partition map exchange does not finish, or a
 * failure handler runs: one log message (the logger's prefix on its first line only) after the
 * JVM's deadlock search has been logged,
 * <pre>
 * Thread dump at 2026/12/07 19:55:51 UTC
 * ##### DEADLOCKED Thread [name="auditor", id=14, state=BLOCKED, blockCnt=1, waitCnt=1]
 *     Lock [object=Scenario$Register@7d54f489, ownerName=closer, ownerId=15]
 *         at app//Scenario.nested(Scenario.java:122)
 *         - locked Scenario$Ledger@2973154f
 *
 *     Locked synchronizers:
 *         java.util.concurrent.locks.ReentrantLock$NonfairSync@48f49ad5
 * </pre>
 * From {@code ThreadMXBean.dumpAllThreads}: one instant, every live thread. The threads the JVM found
 * deadlocked are marked, and are the JVM's reported deadlock. Ignite shortens its own packages in
 * frames ({@code o.a.i.i.util.IgniteUtils}); they are written out again. Read alone, or handed each
 * line of a log by {@link HotSpotTextDecoder}, which finds such a dump anywhere in a node's log.
 */
final class IgniteThreadsDecoder implements LogDumps {

    static final String TITLE = "Thread dump at ";
    private static final String DEADLOCKED = "##### DEADLOCKED ";
    /** {@code Thread [name="closer", id=15, state=BLOCKED, blockCnt=1, waitCnt=0]} */
    static final Pattern THREAD = Pattern.compile("^(?:##### DEADLOCKED )?Thread \\[name=\"(.*)\", id=(\\d+), state=([A-Z_]+), "
            + "blockCnt=-?\\d+, waitCnt=-?\\d+]$");
    /** {@code Lock [object=pkg.Lock@hash, ownerName=closer, ownerId=15]}; no owner: {@code ownerName=null, ownerId=-1}. */
    private static final Pattern LOCK = Pattern.compile("^Lock \\[object=(\\S+), ownerName=(.*), ownerId=(-?\\d+)]$");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss z", Locale.ROOT);

    private final String file;
    private final ForeignDump dump;
    private long openAtEnd;
    private boolean inSynchronizers;
    /** The lock a thread's "Lock [...]" line names, and its owner: the wait goes on the top frame when it is read. */
    private LockRef waitedFor;
    private String ownerName;
    private long ownerId = -1;
    /** The threads the JVM found deadlocked: each with the lock it waits for and that lock's owner. */
    private final Map<String, ReportedDeadlock.Link> deadlocked = new LinkedHashMap<>();

    IgniteThreadsDecoder(String file, SnapshotSink sink) {
        this.file = file;
        this.dump = new ForeignDump(file, file + "#ignite-", "ignite-threads", sink).deadlockSearchShown();
    }

    @Override
    public int dumps() {
        return dump.count();
    }

    @Override
    public boolean line(String raw, long n) {
        int title = raw.indexOf(TITLE);
        if (title >= 0 && raw.length() > title + TITLE.length() && Character.isDigit(raw.charAt(title + TITLE.length()))) {
            finish(false);
            dump.start(n, parseTime(raw.substring(title + TITLE.length()).strip()));
            return true;
        }
        if (raw.isBlank()) {
            if (dump.thread() != null) {
                dump.thread().endFrame();
            }
            return dump.open();
        }
        char c = raw.charAt(0);
        if ((c == 'T' || c == '#') && raw.length() <= DumpLines.MAX_THREAD_HEADER) {
            Matcher h = THREAD.matcher(raw);
            if (h.matches()) {
                if (!dump.open()) {
                    dump.start(n, Optional.empty()); // a dump taken out of the log without its title
                }
                header(h, raw.startsWith(DEADLOCKED), n);
                return true;
            }
        }
        if (!dump.open()) {
            return false;
        }
        if (c != ' ' && c != '\t') {
            finish(false); // the log's next message: the dump is over
            return false;
        }
        if (dump.thread() != null) {
            threadLine(dump.thread(), raw.strip(), n);
        }
        return true;
    }

    private void header(Matcher h, boolean isDeadlocked, long n) {
        endThread();
        ForeignThread thread = dump.startThread(h.group(1), n);
        thread.javaId = DumpLines.parseLong(h.group(2));
        thread.state = ThreadState.parse(h.group(3));
        if (isDeadlocked) {
            deadlocked.put(thread.name, null);
        }
    }

    private void threadLine(ForeignThread thread, String line, long n) {
        SourceRef at = SourceRef.line(file, n);
        if (line.startsWith("at ")) {
            thread.frame(unshortened(line.substring(3)));
            if (waitedFor != null) {
                // the wait goes under the top frame, as the thread's state and that frame tell its kind
                LockAction.Kind kind = thread.waitByState(waitedFor, at);
                dump.owners().add(ownerId, ownerName, waitedFor, kind == null ? LockAction.Kind.WAITING_ON : kind, at);
                waitedFor = null;
            }
        } else if (line.startsWith("- locked ")) {
            LockRef lock = DumpLines.classAtHash(line.substring(9));
            if (lock != null) {
                thread.lock(new LockAction(LockAction.Kind.LOCKED, lock, at));
            }
        } else if (line.equals("Locked synchronizers:")) {
            thread.endFrame();
            inSynchronizers = true;
        } else if (inSynchronizers) {
            LockRef lock = DumpLines.classAtHash(line);
            if (lock != null) {
                thread.owns(lock);
            }
        } else if (line.startsWith("Lock [")) {
            lockLine(thread, line);
        }
    }

    /** "Lock [object=Scenario$Register@7d54f489, ownerName=closer, ownerId=15]", above the frames. */
    private void lockLine(ForeignThread thread, String line) {
        Matcher m = LOCK.matcher(line);
        LockRef lock = m.matches() ? DumpLines.classAtHash(m.group(1)) : null;
        if (lock == null) {
            return;
        }
        long id = DumpLines.parseLong(m.group(3)).orElse(-1);
        waitedFor = lock;
        ownerName = id < 0 ? null : m.group(2);
        ownerId = id;
        if (deadlocked.containsKey(thread.name) && ownerName != null) {
            deadlocked.put(thread.name, new ReportedDeadlock.Link(thread.name, lock, ownerName));
        }
    }

    /** Ignite writes its own packages short in frames: {@code o.a.i.i.util.IgniteUtils} is {@code org.apache.ignite.internal.util.IgniteUtils}. */
    static String unshortened(String frame) {
        int paren = frame.indexOf('(');
        int start = frame.lastIndexOf('/', paren < 0 ? frame.length() : paren) + 1;
        if (frame.startsWith("o.a.i.i.", start)) {
            return frame.substring(0, start) + "org.apache.ignite.internal." + frame.substring(start + 8);
        }
        if (frame.startsWith("o.a.i.", start)) {
            return frame.substring(0, start) + "org.apache.ignite." + frame.substring(start + 6);
        }
        return frame;
    }

    private static Optional<Instant> parseTime(String text) {
        try {
            return Optional.of(ZonedDateTime.parse(text, TIME).toInstant());
        } catch (DateTimeParseException e) {
            // a zone name the JDK does not know: the time as it reads, as other dumps' local times are
            int zone = text.lastIndexOf(' ');
            return zone < 0 ? Optional.empty() : DumpLines.localTime(text.substring(0, zone).replace('/', '-').replace(' ', 'T'));
        }
    }

    private void endThread() {
        dump.endThread();
        inSynchronizers = false;
        waitedFor = null;
    }

    @Override
    public void finish(boolean endOfFile) {
        endThread();
        openAtEnd = endOfFile && dump.open() && !dump.threads().isEmpty() ? dump.line() : 0;
        dump.finish(JvmHints.none(), dump.open() ? reportedDeadlocks() : List.of());
        deadlocked.clear();
    }

    @Override
    public long openAtEnd() {
        return openAtEnd;
    }

    /** The deadlocked threads as the JVM's report: each ring, walked from a thread to the owner of the lock it waits for. */
    private List<ReportedDeadlock> reportedDeadlocks() {
        List<ReportedDeadlock> rings = new ArrayList<>();
        Set<String> walked = new HashSet<>();
        for (String start : deadlocked.keySet()) {
            if (walked.contains(start)) {
                continue;
            }
            List<ReportedDeadlock.Link> chain = new ArrayList<>();
            String at = start;
            while (at != null && deadlocked.get(at) != null && walked.add(at)) {
                ReportedDeadlock.Link link = deadlocked.get(at);
                chain.add(link);
                at = link.heldBy();
            }
            if (!chain.isEmpty() && at != null && chain.stream().anyMatch(l -> l.thread().equals(chain.get(chain.size() - 1).heldBy()))) {
                rings.add(new ReportedDeadlock(chain, SourceRef.line(file, dump.line())));
            }
        }
        return rings;
    }
}
