package io.lockscope.analyzer.threaddump;

import io.lockscope.model.Frame;
import io.lockscope.model.JvmHints;
import io.lockscope.model.JvmThread;
import io.lockscope.model.LockAction;
import io.lockscope.model.LockKind;
import io.lockscope.model.LockRef;
import io.lockscope.model.ReportedDeadlock;
import io.lockscope.model.Snapshot;
import io.lockscope.model.SourceRef;
import io.lockscope.model.ThreadState;
import io.lockscope.model.Visibility;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes HotSpot's text thread dump (jstack, jstack -l/-e, jcmd Thread.print, SIGQUIT output
 * in a console log) line by line, and hands each complete dump to a sink. Lines that belong to
 * no dump (log lines, class histograms, JNI and heap trailers) are passed over.
 *
 * <p>The format is printed by HotSpot's {@code JavaThread::print_on} and
 * {@code javaVFrame::print_lock_info_on} (src/hotspot/share/runtime/vframe.cpp); the deadlock
 * section by {@code ThreadService::print_deadlock} (deadlock detection in threadService.cpp).
 *
 * <p>It also reads what the Serviceability Agent prints for a JVM too hung to answer jcmd:
 * {@code jhsdb jstack [--locks]} (JDK 9+: HotSpot's thread headers and lock lines, with frames
 * as {@code - pkg.Class.method(signature) @bci=N, line=L (Interpreted frame)} and classes in
 * lock lines named as the VM names them inside, {@code java/util/concurrent/...}), and JDK 5 to 8
 * {@code jstack -F} (threads as {@code Thread 16653: (state = BLOCKED)}: an OS thread id for a
 * name, the VM's own thread state, no monitor lines). Both are printed by the SA's
 * {@code sun.jvm.hotspot.tools.StackTrace} and, for the deadlock section, {@code DeadlockDetector}.
 *
 * <p>And Spring Boot's actuator text ({@code GET /actuator/threaddump} as text/plain, written by
 * its PlainTextThreadDumpFormatter from {@code ThreadMXBean.dumpAllThreads(true, true)}): threads
 * as {@code "name" - Thread t@31}, locks by identity hash, and the wait of the top frame labelled
 * by whether the lock has an owner rather than by what the thread does.
 *
 * <p>And {@code ThreadInfo.toString()}, as applications and JMX tools log threads:
 * {@code "name" daemon prio=5 Id=12 WAITING on pkg.Lock@11fcc5c5 owned by "other" Id=13} (no
 * prio or daemon before JDK 9), lock lines {@code -  blocked on}, {@code -  waiting on} (for a
 * parked thread too) and {@code -  locked}, locks as {@code Class@hash}, at most eight frames and
 * then {@code ...}, and {@code Number of locked synchronizers = 1} with the synchronizers. A
 * monitor held in a frame past the eighth is known from its waiters' "owned by".
 *
 * <p>This class follows the lines of the dialect that format detection named ({@link TextDialect}):
 * where dumps begin and end, and which thread, frame or section a line belongs to. The line grammar
 * they share is {@link DumpLines}; what the agent prints differently is read in
 * {@link ServiceabilityAgentText}, what ThreadInfo renderings print in {@link ThreadInfoText}, the
 * deadlock section in {@link DeadlockSection}, a thread's lines in {@link TextThread}.
 */
final class HotSpotTextDecoder {

    private static final String FULL_THREAD_DUMP = "Full thread dump";
    private static final String STATE_PREFIX = "java.lang.Thread.State:";
    private static final String OWNABLE_HEADER = "Locked ownable synchronizers:";
    private static final String CARRYING = "Carrying virtual thread #";
    private static final String MOUNTED = "Mounted virtual thread #";
    private static final String CLASS_INIT_WAIT = "- waiting on the Class initialization monitor for ";


    private final String file;
    private final TextDialect dialect;
    private final SnapshotSink sink;
    private final Map<String, Frame> frameCache = new HashMap<>();
    /** the dialect's ThreadInfo rendering, or null for HotSpot's and the agent's text */
    private final ThreadInfoText rendering;

    private final Preamble preamble = new Preamble();
    private final LogPrefix logPrefix = new LogPrefix();
    private final HardWrap hardWrap = new HardWrap(this::line);
    /** Dumps that programs write into their logs in shapes of their own (Hadoop's, Ignite's), each read by its own decoder. */
    private final List<LogDumps> inLogs;

    // the dump being read
    private boolean inDump;
    /**
     * Reading a dump that is only HotSpot's deadlock section, as people paste it into a bug report
     * (no "Full thread dump" line, no thread headers): its threads come from the section's stacks.
     */
    private boolean excerpt;
    private int excerpts;
    private long dumpLine;
    private Optional<Instant> time = Optional.empty();
    private OptionalLong pid = OptionalLong.empty();
    private Optional<String> vmVersion = Optional.empty();
    private final List<JvmThread> threads = new ArrayList<>();
    private final List<ReportedDeadlock> deadlocks = new ArrayList<>();
    private boolean ownableListed;
    private boolean sawLockLine;
    private boolean allAddressesZero = true;
    /** frames as the Serviceability Agent prints them (jhsdb jstack) */
    private boolean agentFrames;
    private int dumps;
    /** Whether the dump being read began with "Full thread dump", and has shown its closing "JNI global refs" line. */
    private boolean headed;
    private boolean closed;
    private long openAtEnd;
    private int closedDumps;

    // the thread being read, and the carrier of the virtual thread being read
    private TextThread thread;
    private TextThread carrier;
    private int carrierSlot = -1;
    private boolean inOwnable;
    /** Whether the dump being read began inside a stack: its "Locked ownable synchronizers" do not list every owner. */
    private boolean beganInside;
    private final CutHead cutHead = new CutHead();

    // the deadlock section being read
    private enum Section { THREADS, DEADLOCK, DEADLOCK_STACKS }

    private Section section = Section.THREADS;
    private DeadlockSection deadlock;

    HotSpotTextDecoder(String file, TextDialect dialect, SnapshotSink sink) {
        this.file = file;
        this.dialect = dialect;
        this.sink = sink;
        this.rendering = dialect.threadInfo() ? new ThreadInfoText(file, frameCache) : null;
        this.inLogs = dialect == TextDialect.JSTACK
                ? List.of(new HadoopStacksDecoder(file + "#stacks-", sink), new IgniteThreadsDecoder(file, sink)) : List.of();
    }

    /**
     * What a text held besides its dumps, for the input's message.
     *
     * @param dumps      how many dumps were read, those in a log's other formats too
     * @param openAtEnd  the line of the last dump when it stopped at the input's end without HotSpot's
     *                   closing "JNI global refs" line, after a "Full thread dump" header; 0 otherwise.
     *                   Alone that proves little (people save excerpts); with a last line cut off, or
     *                   earlier dumps of the same file that did close, it means the text was cut short
     * @param earlierDumpsClosed whether a dump before the last closed with "JNI global refs"
     * @param logDumps   the decoders of the dumps in a log, for how their last dumps ended
     * @param logPrefix  the log pipeline's prefix taken off the dump's lines, as first seen; empty if none
     * @param wrapWidth  the width the text's lines were broken at and joined again; 0 if they were not
     * @param excerpts   how many dumps were only a deadlock section, without the rest of the dump
     * @param cutAtFront the first stack line of the first dump that began inside a stack; 0 if none did
     */
    record Read(int dumps, long openAtEnd, boolean earlierDumpsClosed, List<LogDumps> logDumps, String logPrefix, int wrapWidth,
            int excerpts, long cutAtFront) {
    }

    /** Reads all lines. */
    Read decode(LineSource lines) throws IOException {
        lines.forEach(hardWrap, () -> {
            hardWrap.finish();
            // the input may have broken off mid-dump: what was read of it is still kept
            openAtEnd = inDump && headed && !closed ? dumpLine : 0;
            finishDump();
            inLogs.forEach(d -> d.finish(true));
        });
        String own = logPrefix.learnedFrom();
        String prefix = own.isEmpty() ? inLogs.stream().map(LogDumps::learnedPrefix).filter(p -> !p.isEmpty()).findFirst().orElse("") : own;
        // the last dump, had it closed, would not be open at the end: any closed dump is an earlier one
        return new Read(dumps + inLogs.stream().mapToInt(LogDumps::dumps).sum(), openAtEnd, closedDumps > 0, inLogs, prefix,
                hardWrap.width(), excerpts, cutHead.first());
    }

    void line(String raw, long n) {
        if (!inDump && LogDumps.anyTakes(inLogs, raw, n)) {
            return;
        }
        String line = logPrefix.strip(raw).strip();
        String before = logPrefix.lineBeforeLearning();
        if (before != null) {
            preamble.line(before.strip()); // jstack's time above the dump, read again without its prefix
        }
        if (line.isEmpty()) {
            return;
        }
        char c = line.charAt(0);
        if (c == 'a' && line.startsWith("at ")) {
            if (section == Section.THREADS && thread != null) {
                thread.frame(line.substring(3));
            } else if (!inDump) {
                cutHead.stackLine(n);
            }
            return;
        }
        if (c == '-' && line.startsWith("- ")) {
            if (section == Section.THREADS && thread != null) {
                lockLine(line, n);
            } else if (!inDump) {
                cutHead.stackLine(n);
            }
            return;
        }
        if (c == 'T' && dialect == TextDialect.JSTACK_F && line.startsWith("Thread ")) {
            Matcher m = TextDialect.AGENT_THREAD_LINE.matcher(line);
            if (m.find()) {
                newThread(ServiceabilityAgentText.threadHeader(m, n, file, frameCache), n);
                return;
            }
        }
        if (c == '"' && line.length() <= DumpLines.MAX_THREAD_HEADER && header(line, n)) { // a longer line is damaged
            return;
        }
        if (c == '"') {
            if (section == Section.DEADLOCK) {
                deadlock.line(line);
            } else if (section == Section.THREADS && excerpt && line.endsWith("\":") && line.length() > 3) {
                // a thread of the section's "Java stack information": its name, then its frames
                endThread();
                thread = new TextThread(line.substring(1, line.length() - 2), n, file, frameCache);
            }
            return;
        }
        if (line.startsWith(STATE_PREFIX)) {
            if (thread != null) {
                String rest = line.substring(STATE_PREFIX.length()).strip();
                int space = rest.indexOf(' ');
                thread.state = ThreadState.parse(space < 0 ? rest : rest.substring(0, space));
                thread.stateDetail = space < 0 ? "" : rest.substring(space + 1);
            } else if (!inDump) {
                cutHead.stackLine(n);
            }
            return;
        }
        if (line.startsWith(FULL_THREAD_DUMP)) {
            finishDump();
            startDump(n);
            cutHead.otherLine();
            headed = true;
            Optional<String> v = DumpLines.vmVersion(line);
            vmVersion = v.isPresent() ? v : vmVersion;
            return;
        }
        if (thread != null && (line.startsWith(OWNABLE_HEADER) || ThreadInfoText.startsOwnableList(line, thread, dialect))) {
            ownableListed = true;
            inOwnable = true;
            thread.owned = new ArrayList<>();
            return;
        }
        if (line.startsWith(OWNABLE_HEADER)) {
            return;
        }
        if (line.equals("...") && thread != null && thread.threadInfo) {
            // ThreadInfo.toString() prints eight frames at most
            thread.truncated = true;
            return;
        }
        if (line.startsWith(CARRYING)) {
            return;
        }
        if (line.startsWith(MOUNTED) && thread != null) {
            mountedVirtualThread(line, n);
            return;
        }
        if (line.startsWith(DeadlockSection.HEADER)) {
            endThread();
            if (!inDump) {
                startDump(n);
                excerpt = true;
                excerpts++;
            }
            section = Section.DEADLOCK;
            deadlock = new DeadlockSection(file, n);
            return;
        }
        if (section == Section.DEADLOCK) {
            DeadlockSection.Next next = deadlock.line(line);
            if (next != DeadlockSection.Next.SAME) {
                finishDeadlock();
                // in a whole dump the stacks repeat threads already read; in an excerpt they are all there is
                section = next == DeadlockSection.Next.STACKS && !excerpt ? Section.DEADLOCK_STACKS : Section.THREADS;
            }
            return;
        }
        if (section == Section.DEADLOCK_STACKS) {
            if (line.startsWith("Found ")) {
                section = Section.THREADS;
            }
            return;
        }
        if (excerpt && line.startsWith("Found ") && line.contains(" deadlock")) {
            finishDump(); // "Found 1 deadlock." ends a pasted section
            return;
        }
        if (inDump && ServiceabilityAgentText.startsDump(line)) {
            finishDump();
        }
        if (!inDump || closed) {
            // after "JNI global refs" too: jstack's time and jcmd's pid line of the next dump come before it begins
            preamble.line(line);
            if (!inDump) {
                cutHead.line(line, n);
                return;
            }
        }
        if (line.startsWith("JNI global ref") || line.equals("Heap") || line.startsWith("Threads class SMR info")) {
            endThread();
            if (!closed && line.startsWith("JNI global ref")) {
                closed = true;
                closedDumps++;
            }
        }
    }

    /** A thread header of the dialect; false if the line is none. */
    private boolean header(String line, long n) {
        TextThread rendered = rendering == null ? null : rendering.header(line, n, dialect);
        if (rendered != null) {
            newThread(rendered, n);
            return true;
        }
        int close = DumpLines.closingQuote(line);
        if (close > 0 && DumpLines.isThreadHeader(line, close)) {
            TextThread t = TextThread.hotSpotHeader(line, close, n, file, frameCache);
            allAddressesZero &= t.address == null;
            newThread(t, n);
            return true;
        }
        if (!dialect.actuatorHeaders()) {
            return false;
        }
        TextThread actuator = close > 0 ? rendering.actuatorHeader(line, close, n) : null;
        if (actuator != null) {
            newThread(actuator, n);
            return true;
        }
        if (close > 0 && close == line.length() - 1 && section == Section.THREADS && inDump) {
            // some actuator versions print a thread without " - Thread t@N"
            newThread(rendering.actuatorHeader(line.substring(1, close), OptionalLong.empty(), n), n);
            return true;
        }
        return false;
    }

    /** A thread's header line: the thread before it has ended, and a dump has begun if none had. */
    private void newThread(TextThread t, long n) {
        if (!inDump) {
            startDump(n);
            beganInside = cutHead.beginsInside();
        }
        section = Section.THREADS;
        if (excerpt) {
            // a thread header after a deadlock section that began a dump: the section came first (the
            // Serviceability Agent prints it before the threads), and this is a whole dump
            excerpt = false;
            excerpts--;
        }
        endThread();
        thread = t;
        carrier = null;
    }

    private void startDump(long n) {
        inDump = true;
        closed = false;
        headed = false;
        dumpLine = n;
        Preamble.Facts facts = preamble.take();
        time = facts.time();
        pid = facts.pid();
        vmVersion = facts.version();
        section = Section.THREADS;
    }

    private void mountedVirtualThread(String line, long n) {
        thread.endFrame();
        TextThread c = carrier != null ? carrier : thread;
        TextThread v = new TextThread("", n, file, frameCache);
        v.javaId = DumpLines.parseLong(line.substring(MOUNTED.length()).strip());
        v.virtual = true;
        v.carrier = c.name;
        v.name = "virtual #" + v.javaId.orElse(0);
        v.state = c.state;
        v.stateDetail = c.stateDetail;
        carrier = c;
        threads.add(null); // reserve the carrier's place ahead of its virtual thread
        carrierSlot = threads.size() - 1;
        thread = v;
    }

    private void lockLine(String line, long n) {
        SourceRef at = SourceRef.line(file, n);
        if (thread.threadInfo) {
            if (!inOwnable) {
                sawLockLine |= line.startsWith("-  blocked on ") || line.startsWith("-  waiting on ") || line.startsWith("-  locked ");
            }
            rendering.toStringLockLine(thread, line, at, inOwnable);
            return;
        }
        if (inOwnable) {
            // "- <0x...> (a java.util.concurrent.locks.ReentrantLock$NonfairSync)" or "- None"
            LockRef lock = DumpLines.parseLockRef(line, 2);
            if (lock != null) {
                (carrier != null ? carrier : thread).own(lock);
            }
            return;
        }
        if (line.startsWith(CLASS_INIT_WAIT)) {
            // JDK 17+: "- waiting on the Class initialization monitor for Scenario$Second"
            String cls = line.substring(CLASS_INIT_WAIT.length()).strip();
            sawLockLine = true;
            thread.lockAction(new LockAction(LockAction.Kind.WAITING_FOR_CLASS_INIT, LockKind.classInit(cls), at));
            return;
        }
        DumpLines.LockLine lockLine = DumpLines.lockLine(line);
        if (lockLine == null) {
            int bci = ServiceabilityAgentText.bciAt(line);
            if (bci > 2) {
                agentFrames = true;
                thread.agentFrame(ServiceabilityAgentText.frame(line, bci), line.indexOf("(Interpreted frame", bci) > 0);
            }
            return;
        }
        sawLockLine = true;
        LockRef lock = DumpLines.parseLockRef(line, lockLine.from());
        if (lock != null) {
            thread.lockAction(new LockAction(lockLine.kind(), lock, at));
            if (thread.actuator && lockLine.kind() == LockAction.Kind.WAITING_TO_LOCK) {
                ThreadInfoText.ownedBy(thread, line, lock, at);
            }
        }
    }

    private void finishDeadlock() {
        if (deadlock != null) {
            ReportedDeadlock d = deadlock.finish();
            if (d != null) {
                deadlocks.add(d);
            }
        }
        deadlock = null;
    }

    private void endThread() {
        inOwnable = false;
        if (thread == null) {
            return;
        }
        if (carrier != null) {
            // the mounted virtual thread follows its carrier
            threads.set(carrierSlot, carrier.build(carrierSlot));
            threads.add(thread.build(threads.size()));
            carrier = null;
            carrierSlot = -1;
        } else {
            threads.add(thread.build(threads.size()));
        }
        thread = null;
    }

    private void finishDump() {
        if (!inDump) {
            return;
        }
        endThread();
        if (section == Section.DEADLOCK) {
            finishDeadlock();
        }
        // the JVM prints any deadlock it found after the "JNI global refs" line that closes the threads
        boolean searched = closed && !excerpt;
        inDump = false;
        excerpt = false;
        section = Section.THREADS;
        if (threads.isEmpty() && deadlocks.isEmpty()) {
            return;
        }
        dumps++;
        // A tool-made rendering (ThreadMXBean, no JavaThread addresses, no lock lines) shows no owners,
        // and neither does JDK 5-8 jstack -F, which prints no monitor lines at all; nor does a deadlock
        // section kept alone, without its stacks (which is not a rendering).
        boolean rendered = (!threads.isEmpty() && allAddressesZero && !sawLockLine) || dialect == TextDialect.JSTACK_F;
        TextDialect format = dialect == TextDialect.JSTACK && agentFrames ? TextDialect.JHSDB
                : dialect == TextDialect.JSTACK && rendered ? TextDialect.THREADINFO_TEXT : dialect;
        if (agentFrames) {
            ServiceabilityAgentText.anonymousOwners(threads);
        }
        if (rendering != null) {
            rendering.finish(threads);
        }
        Snapshot s = new Snapshot(file + "#" + dumps, format.id(), SourceRef.line(file, dumpLine), time,
                new JvmHints(pid, vmVersion, Optional.empty()), threads,
                rendered || threads.isEmpty() ? Visibility.NOT_SHOWN : Visibility.SHOWN,
                ownableListed && !beganInside ? Visibility.SHOWN : Visibility.NOT_SHOWN, deadlocks, List.of(),
                searched && format == TextDialect.JSTACK && DeadlockSection.searchesOwnableLocks(vmVersion) ? Visibility.SHOWN : Visibility.NOT_SHOWN);
        threads.clear();
        deadlocks.clear();
        ownableListed = false;
        beganInside = false;
        sawLockLine = false;
        allAddressesZero = true;
        agentFrames = false;
        sink.accept(s);
    }
}
