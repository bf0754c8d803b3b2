package io.lockscope.analyzer.threaddump;

import io.lockscope.model.JvmHints;
import io.lockscope.model.LockAction;
import io.lockscope.model.LockRef;
import io.lockscope.model.ReportedDeadlock;
import io.lockscope.model.SourceRef;
import io.lockscope.model.ThreadState;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes BEA/Oracle JRockit thread dumps, alone or inside WebLogic logs: every dump between
 * {@code ===== FULL THREAD DUMP} and {@code ===== END OF THREAD DUMP}, in each of the layouts
 * JRockit printed (8.1's {@code id: 0x80  prio: 5  ACTIVE}, 1.4.2's {@code prio=5 id=0x80 tid=0x104c},
 * R26's {@code id=1 idx=0x2 tid=5584 prio=5 alive, waiting}, and weblogic.Admin's
 * {@code Thread-0x80 "name" <Waiting, priority=5> { ... }}). Lock lines name the lock by class and
 * address: {@code -- Blocked trying to get lock:}, {@code -- Waiting for notification on:},
 * {@code ^-- Holding lock:}, {@code ^-- Lock released while waiting:}. The "Circular (deadlocked)
 * lock chains" section is JRockit's own deadlock report, kept to compare with the graph's; its
 * "Blocked lock chains" and "Open lock chains" name, in lines shaped like thread headers, threads
 * listed above, and are passed over (the graph draws the same chains from the lock lines).
 */
final class JRockitDecoder {

    private static final String START = "===== FULL THREAD DUMP";
    private static final String END = "===== END OF THREAD DUMP";
    private static final Pattern ADMIN_HEADER = Pattern.compile("^Thread-(0x[0-9a-fA-F]+|\\d+) \"(.*)\" <([^>]*)> \\{$");
    private static final Pattern ID = Pattern.compile("\\bid[=:]\\s*(0x[0-9a-fA-F]+|\\d+)");
    private static final Pattern IDX = Pattern.compile("\\bidx=(0x[0-9a-fA-F]+)");
    private static final Pattern TID = Pattern.compile("\\b(?:tid|pid)=(0x[0-9a-fA-F]+|\\d+)");
    private static final Pattern FIELDS = Pattern.compile("\\b(?:id|idx|tid|pid|prio)[=:]\\s*\\S+");
    /** waiting, but not native_waiting or native_lock_waiting (a thread in native code, which JRockit calls so) */
    private static final Pattern WAITING = Pattern.compile("(?<!native_)(?<!native_lock_)waiting");
    private static final Pattern ADMIN_FRAME = Pattern.compile("^[\\w$/]+\\.[\\w$<>]+\\(.*\\)$");
    private static final Pattern LOCK = Pattern.compile("([^\\s@]+)@(0x)?([0-9a-fA-F]+)");
    private static final Pattern CHAIN_LINK = Pattern.compile("^\"(.*)\" .*?waiting for (\\S+) held by:$");
    /** How many lines below a chain section's title its underline of '=' may be (a log line may come between). */
    private static final int UNDERLINE_REACH = 3;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.US);

    private final String file;
    private final ForeignDump dump;
    private boolean expectTime;
    private final List<ReportedDeadlock> deadlocks = new ArrayList<>();
    private Section section = Section.THREADS;
    /** The line of the last chain section's title. */
    private long chainTitle = -UNDERLINE_REACH - 1;
    private ReportedChain chain;
    private boolean open;

    /** Where in a dump a line is: among the threads, in JRockit's deadlock report, or in its other chains. */
    private enum Section { THREADS, CIRCULAR_CHAINS, OTHER_CHAINS }

    JRockitDecoder(String file, SnapshotSink sink) {
        this.file = file;
        this.dump = new ForeignDump(file, file + "#", "jrockit", sink).synchronizerOwnersNotShown();
    }

    int decode(LineSource lines) throws IOException {
        lines.forEach((raw, n) -> dispatch(raw.strip(), n), () -> {
            open = dump.open();
            finish();
        });
        return dump.count();
    }

    /** Whether the last dump had no END line: the text was cut. */
    boolean endedOpen() {
        return open;
    }

    private void dispatch(String line, long n) {
        // WebLogic may log the marker at the end of a log line of its own
        if (line.startsWith(START) || (line.contains(START) && line.startsWith("<"))) {
            finish();
            dump.start(n, Optional.empty());
            section = Section.THREADS;
            expectTime = true;
            return;
        }
        if (!dump.open() || line.isEmpty()) {
            return;
        }
        if (line.startsWith(END) || (line.length() >= 10 && line.chars().allMatch(c -> c == '=') && n - chainTitle > UNDERLINE_REACH)) {
            // 8.1 and weblogic.Admin close a dump with a bare line of '=' (a section title's underline is not one)
            finish();
            return;
        }
        if (expectTime) {
            expectTime = false;
            Optional<Instant> t = parseTime(line);
            if (t.isPresent()) {
                dump.time(t);
                return;
            }
        }
        if (line.startsWith("Circular (deadlocked) lock chains")) {
            chainSection(Section.CIRCULAR_CHAINS, n);
            return;
        }
        if (line.startsWith("Blocked lock chains") || line.startsWith("Open lock chains")) {
            chainSection(Section.OTHER_CHAINS, n);
            return;
        }
        if (section == Section.CIRCULAR_CHAINS) {
            chainLine(line, n);
            return;
        }
        if (section == Section.OTHER_CHAINS) {
            return;
        }
        Matcher admin = ADMIN_HEADER.matcher(line);
        if (admin.matches()) {
            ForeignThread thread = dump.startThread(admin.group(2), n);
            thread.address = admin.group(1);
            state(thread, admin.group(3));
            return;
        }
        if (line.startsWith("\"") && line.length() <= DumpLines.MAX_THREAD_HEADER) {
            int close = line.lastIndexOf('"');
            if (close > 0) {
                header(dump.startThread(line.substring(1, close), n), line.substring(close + 1));
            }
            return;
        }
        ForeignThread thread = dump.thread();
        if (thread == null) {
            return;
        }
        if (line.startsWith("-- Blocked trying to get lock:")) {
            lock(thread, line, LockAction.Kind.WAITING_TO_LOCK, n);
        } else if (line.startsWith("-- Waiting for notification on:")) {
            lock(thread, line, LockAction.Kind.WAITING_ON, n);
        } else if (line.startsWith("-- Parking to wait for:")) {
            lock(thread, line, LockAction.Kind.PARKING, n);
        } else if (line.startsWith("^-- Holding lock:") || line.startsWith("^-- Lock released while waiting:")) {
            // a lock released in wait() is left out of the holds by the graph, as HotSpot's "- locked" under a wait
            lock(thread, line, LockAction.Kind.LOCKED, n);
        } else if (line.startsWith("at ")) {
            thread.frame(ForeignThread.frameText(line));
        } else if (line.startsWith("---") || line.startsWith("-- end of trace") || line.equals("}")) {
            thread.endFrame();
        } else if (ADMIN_FRAME.matcher(line).matches()) {
            // weblogic.Admin's frames: "weblogic/t3/srvr/T3Srvr.waitForDeath()V(T3Srvr.java:1208)"
            thread.frame(ForeignThread.frameText(line));
        }
    }

    /** The header after the name, in any of the layouts: ids, then the state words. */
    private void header(ForeignThread thread, String rest) {
        String r = rest.strip();
        Matcher m = ID.matcher(r);
        String id = m.find() ? m.group(1) : null;
        Matcher idx = IDX.matcher(r);
        Matcher tid = TID.matcher(r);
        if (tid.find()) {
            thread.nativeId = tid.group(1);
        }
        if (idx.find()) {
            // R26: id= is the Java thread id, idx= JRockit's own index
            thread.address = idx.group(1);
            if (id != null && !id.startsWith("0x")) {
                thread.javaId = OptionalLong.of(Long.parseLong(id));
            }
        } else if (id != null) {
            thread.address = id.startsWith("0x") ? "0x" + Long.toHexString(Long.parseLong(id.substring(2), 16)) : id;
        }
        // the state words: after the last "=value" or ": value" field
        String words = FIELDS.matcher(r).replaceAll("").strip();
        state(thread, words);
    }

    private void state(ForeignThread thread, String words) {
        String w = words.toLowerCase(Locale.ROOT);
        thread.detail = words.strip();
        thread.daemon = w.contains("daemon") && !w.contains("nondaemon");
        if (w.contains("blocked")) {
            thread.state = ThreadState.BLOCKED;
        } else if (WAITING.matcher(w).find()) {
            thread.state = ThreadState.WAITING;
        } else if (w.contains("sleeping")) {
            thread.state = ThreadState.TIMED_WAITING;
        } else {
            thread.state = ThreadState.RUNNABLE;
        }
    }

    private void lock(ForeignThread thread, String line, LockAction.Kind kind, long n) {
        LockRef lock = lockRef(line.substring(line.indexOf(':') + 1));
        if (lock != null) {
            thread.lock(new LockAction(kind, lock, SourceRef.line(file, n)));
            if (kind == LockAction.Kind.WAITING_TO_LOCK && thread.state != ThreadState.BLOCKED) {
                // 1.4.2 calls a thread spinning for a thin lock "active"; it waits for the lock all the same
                thread.state = ThreadState.BLOCKED;
            }
        }
    }

    /** "java/lang/Object@0x015F10C0[fat lock]" or "weblogic/t3/srvr/T3Srvr@1349b30[fat lock]". */
    static LockRef lockRef(String text) {
        Matcher m = LOCK.matcher(text.strip());
        if (!m.find()) {
            return null;
        }
        return new LockRef("0x" + Long.toHexString(Long.parseUnsignedLong(m.group(3), 16)), ForeignThread.dotted(m.group(1)));
    }

    private void chainSection(Section next, long n) {
        endChain();
        dump.endThread();
        section = next;
        chainTitle = n;
    }

    /** A line of a circular lock chain: each thread waits for a lock the thread on the next line holds. */
    private void chainLine(String line, long n) {
        if (line.startsWith("Chain ")) {
            endChain();
            chain = new ReportedChain(file, n);
            return;
        }
        if (chain == null || !line.startsWith("\"")) {
            return;
        }
        Matcher m = CHAIN_LINK.matcher(line);
        chain.heldBy(m.matches() ? m.group(1) : line.substring(1, Math.max(1, line.indexOf('"', 1))));
        if (m.matches()) {
            chain.waitsFor(lockRef(m.group(2)));
        } else {
            endChain(); // the first thread again, waiting for nothing more
        }
    }

    private void endChain() {
        ReportedDeadlock ring = chain == null ? null : chain.finish();
        if (ring != null) {
            deadlocks.add(ring);
        }
        chain = null;
    }

    private void finish() {
        if (!dump.open()) {
            return;
        }
        endChain();
        dump.endThread();
        section = Section.THREADS;
        dump.threads().forEach(ForeignThread::sleepIsNoWait);
        dump.finish(JvmHints.none(), deadlocks);
        deadlocks.clear();
    }

    private static Optional<Instant> parseTime(String line) {
        // "Wed Aug 17 00:45:54 2005", "Thu May 04 22:00:33 JST 2006": the zone is left out (local time)
        String s = line.replaceAll(" [A-Z]{2,5} (\\d{4})$", " $1");
        try {
            return Optional.of(LocalDateTime.parse(s, TIME).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
