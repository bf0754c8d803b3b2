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
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
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
 * <p>This class follows the lines; what the agent prints differently from HotSpot is read in
 * {@link ServiceabilityAgentText}, and what the ThreadMXBean renderings share in {@link ThreadMXBeanText}.
 */
final class HotSpotTextDecoder {

    private static final String FULL_THREAD_DUMP = "Full thread dump";
    private static final String STATE_PREFIX = "java.lang.Thread.State:";
    private static final String OWNABLE_HEADER = "Locked ownable synchronizers:";
    private static final String DEADLOCK_HEADER = "Found one Java-level deadlock:";
    private static final String DEADLOCK_STACKS = "Java stack information for the threads listed above:";
    private static final String CARRYING = "Carrying virtual thread #";
    private static final String MOUNTED = "Mounted virtual thread #";
    private static final String HELD_BY = "which is held by ";
    private static final String CLASS_INIT_WAIT = "- waiting on the Class initialization monitor for ";
    private static final String MONITOR_WAIT = "waiting to lock monitor ";
    private static final String SYNCHRONIZER_WAIT = "waiting for ownable synchronizer ";
    private static final String SA_MONITOR_WAIT = "waiting to lock Monitor@";
    private static final String SA_ATTACHING = "Attaching to process ID ";
    private static final String SA_DEADLOCK_DETECTION = "Deadlock Detection:";
    private static final String SA_VM_VERSION = "JVM version is ";
    private static final String SA_BCI = " @bci=";
    private static final String ACTUATOR_THREAD = " - Thread t@";
    private static final String THREADINFO_SYNCHRONIZERS = "Number of locked synchronizers = ";
    /** The JDK 6 JMX demo's FullThreadDump: "name" id=3149 in RUNNABLE (running in native) */
    private static final Pattern JMX_DEMO_HEADER = Pattern.compile("^\"(.*)\" id=(\\d+) in ([A-Z_]+)(.*)$");
    private static final String JMX_DEMO_SYNCHRONIZERS = "Locked synchronizers: count = ";
    /** ThreadInfo.toString(): name, daemon, prio (JDK 9+), id, state, the lock waited for, its owner. */
    private static final Pattern THREADINFO_HEADER = Pattern.compile(
            "^\"(.*)\"( daemon)?(?: prio=\\d+)? Id=(\\d+) ([A-Z_]+)(?: on (\\S+))?(?: owned by \"(.*)\" Id=(\\d+))?");

    private static final Pattern JCMD_PID = Pattern.compile("^(\\d+):$");
    private static final Pattern PID_LINE = Pattern.compile("^(?:pid: |Attaching to process ID )(\\d+)");
    private static final Pattern TIMESTAMP = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\d)[ T](\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?)\\s*$");
    private static final Pattern VM_VERSION = Pattern.compile("^Full thread dump (.*?)\\s*\\(([^()\\s]+)[^()]*\\):?\\s*$");
    private static final Pattern OBJECT_IN_MONITOR = Pattern.compile("\\(object (0x[0-9a-fA-F]+|[0-9a-fA-F]+), a ([^)]+)\\)");
    private static final Pattern SYNCHRONIZER = Pattern.compile("^waiting for ownable synchronizer (\\S+?),? \\(a ([^)]+)\\)");
    private static final Pattern SA_OBJECT_IN_MONITOR = Pattern.compile("\\(Object@(0x[0-9a-fA-F]+), a ([^)]+)\\)");
    /** JDK 5-8 jstack -F: "Thread 16653: (state = BLOCKED)", "Thread t@60675: (state = IN_NATIVE)" on macOS. */
    private static final Pattern SA_THREAD = Pattern.compile("^Thread (t@)?(\\d+): \\(state = ([A-Z_]+)");

    private final String file;
    private final SnapshotSink sink;
    private final Map<String, Frame> frameCache = new HashMap<>();

    // what precedes a dump
    private OptionalLong pendingPid = OptionalLong.empty();
    private Optional<Instant> pendingTime = Optional.empty();
    private Optional<String> pendingVersion = Optional.empty();
    private OptionalLong filePid = OptionalLong.empty();

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
    /** frames as the Serviceability Agent prints them; with SA thread headers, JDK 5-8 jstack -F */
    private boolean agentFrames;
    private boolean agentHeaders;
    /** Spring Boot actuator's text: "name" - Thread t@N headers */
    private boolean actuator;
    /** VisualVM's text, which has the actuator's headers and names locks as Class@hash */
    private boolean visualvm;
    /** The JDK 6 JMX demo's text: "name" id=N in STATE headers, HotSpot's lock lines */
    private boolean jmxDemo;
    /** ThreadInfo.toString(): "name" prio=5 Id=12 STATE headers */
    private boolean threadInfo;
    private final UnlistedOwners unlistedOwners = new UnlistedOwners();
    /** ThreadInfo's blocked threads and the owner each names, and the threads whose stacks it cut */
    private record BlockedOn(long owner, LockRef lock, SourceRef at) {
    }

    private final List<BlockedOn> blockedOn = new ArrayList<>();
    private final java.util.Set<Long> truncatedThreads = new java.util.HashSet<>();
    private int dumpCount;

    // the thread being read
    private ThreadBuilder thread;
    private ThreadBuilder carrier;
    private boolean inOwnable;

    // the deadlock section being read
    private enum Section { THREADS, DEADLOCK, DEADLOCK_STACKS }

    private Section section = Section.THREADS;
    private List<ReportedDeadlock.Link> links;
    private long deadlockLine;
    private String linkThread;
    private LockRef linkLock;

    HotSpotTextDecoder(String file, SnapshotSink sink) {
        this.file = file;
        this.sink = sink;
    }

    /** Reads all lines; returns the number of dumps found. */
    /** Whether the dump being read began with "Full thread dump", and has shown its closing "JNI global refs" line. */
    private boolean headed;
    private boolean closed;
    private long openAtEnd;
    private int closedDumps;

    int decode(LineSource lines) throws IOException {
        String raw;
        try {
            while ((raw = lines.next()) != null) {
                line(raw, lines.lineNumber());
            }
        } finally {
            // the input may have broken off mid-dump: what was read of it is still kept
            openAtEnd = inDump && headed && !closed ? dumpLine : 0;
            finishDump();
        }
        return dumpCount;
    }

    /**
     * The line of the last dump when it stopped at the input's end without HotSpot's closing
     * "JNI global refs" line, after a "Full thread dump" header; 0 otherwise. Alone that proves
     * little (people save excerpts); with a last line cut off, or earlier dumps of the same file
     * that did close, it means the text was cut short.
     */
    long openAtEnd() {
        return openAtEnd;
    }

    /** Whether a dump before the last closed with HotSpot's "JNI global refs" line. */
    boolean earlierDumpsClosed() {
        // the last dump, had it closed, would not be open at the end: any closed dump is an earlier one
        return closedDumps > 0;
    }

    int dumpCount() {
        return dumpCount;
    }

    /**
     * A thread header after a deadlock section that began a dump: the section came first (the
     * Serviceability Agent prints it before the threads), and this is a whole dump.
     */
    private void wholeDumpAfterAll() {
        if (excerpt) {
            excerpt = false;
            excerpts--;
        }
    }

    /** How many dumps were only a deadlock section, without the rest of the dump. */
    int excerpts() {
        return excerpts;
    }

    void line(String raw, long n) {
        String line = raw.strip();
        if (line.isEmpty()) {
            return;
        }
        char c = line.charAt(0);
        if (c == 'a' && line.startsWith("at ")) {
            if (section == Section.THREADS && thread != null) {
                thread.frame(line.substring(3), n);
            }
            return;
        }
        if (c == '-' && line.startsWith("- ")) {
            if (section == Section.THREADS && thread != null) {
                lockLine(line, n);
            }
            return;
        }
        if (c == 'T' && line.startsWith("Thread ")) {
            Matcher m = SA_THREAD.matcher(line);
            if (m.find()) {
                if (!inDump) {
                    startDump(n);
                }
                section = Section.THREADS;
                agentHeader(m, n);
                return;
            }
        }
        if (c == '"' && line.indexOf(" tid=") < 0 && line.indexOf(" Id=") > 0) {
            Matcher m = THREADINFO_HEADER.matcher(line);
            if (m.find()) {
                if (!inDump) {
                    startDump(n);
                }
                section = Section.THREADS;
                threadInfo = true;
                threadInfoHeader(m, n);
                return;
            }
        }
        if (c == '"' && line.indexOf(" tid=") < 0 && line.indexOf(" id=") > 0) {
            Matcher m = JMX_DEMO_HEADER.matcher(line);
            if (m.matches()) {
                if (!inDump) {
                    startDump(n);
                }
                section = Section.THREADS;
                jmxDemo = true;
                wholeDumpAfterAll();
                endThread();
                ThreadBuilder t = new ThreadBuilder(m.group(1), n);
                t.javaId = parseLong(m.group(2));
                t.state = ThreadState.parse(m.group(3));
                t.stateDetail = m.group(4).strip();
                thread = t;
                carrier = null;
                return;
            }
        }
        if (c == '"') {
            int close = closingQuote(line);
            if (close > 0 && isThreadHeader(line, close)) {
                if (!inDump) {
                    startDump(n);
                }
                section = Section.THREADS;
                header(line, close, n);
                return;
            }
            if (close > 0 && line.startsWith(ACTUATOR_THREAD, close + 1)) {
                if (!inDump) {
                    startDump(n);
                }
                section = Section.THREADS;
                actuator = true;
                actuatorHeader(line.substring(1, close), parseLong(line.substring(close + 1 + ACTUATOR_THREAD.length()).strip()), n);
                return;
            }
            if (actuator && close == line.length() - 1 && section == Section.THREADS) {
                // some actuator versions print a thread without " - Thread t@N"
                actuatorHeader(line.substring(1, close), OptionalLong.empty(), n);
                return;
            }
            if (section == Section.DEADLOCK && line.endsWith("\":")) {
                flushLink(n);
                linkThread = line.substring(1, line.length() - 2);
            }
            if (section == Section.THREADS && excerpt && line.endsWith("\":") && line.length() > 3) {
                // a thread of the section's "Java stack information": its name, then its frames
                endThread();
                thread = new ThreadBuilder(line.substring(1, line.length() - 2), n);
            }
            return;
        }
        if (line.startsWith(STATE_PREFIX)) {
            if (thread != null) {
                String rest = line.substring(STATE_PREFIX.length()).strip();
                int space = rest.indexOf(' ');
                thread.state = ThreadState.parse(space < 0 ? rest : rest.substring(0, space));
                thread.stateDetail = space < 0 ? "" : rest.substring(space + 1);
            }
            return;
        }
        if (line.startsWith(FULL_THREAD_DUMP)) {
            finishDump();
            startDump(n);
            headed = true;
            Matcher m = VM_VERSION.matcher(line);
            if (m.matches()) {
                vmVersion = Optional.of((m.group(1) + " " + m.group(2)).strip());
            }
            return;
        }
        if (line.startsWith(THREADINFO_SYNCHRONIZERS) && thread != null && thread.threadInfo) {
            ownableListed = true;
            inOwnable = true;
            thread.owned = new ArrayList<>();
            return;
        }
        if (line.equals("...") && thread != null && thread.threadInfo) {
            // ThreadInfo.toString() prints eight frames at most
            thread.truncated = true;
            return;
        }
        if (line.startsWith(JMX_DEMO_SYNCHRONIZERS) && thread != null && jmxDemo) {
            ownableListed = true;
            inOwnable = true;
            thread.owned = new ArrayList<>();
            return;
        }
        if (line.startsWith(OWNABLE_HEADER)) {
            if (thread != null) {
                ownableListed = true;
                inOwnable = true;
                thread.owned = new ArrayList<>();
            }
            return;
        }
        if (line.startsWith(CARRYING)) {
            return;
        }
        if (line.startsWith(MOUNTED) && thread != null) {
            mountedVirtualThread(line, n);
            return;
        }
        if (line.startsWith(DEADLOCK_HEADER)) {
            endThread();
            if (!inDump) {
                startDump(n);
                excerpt = true;
                excerpts++;
            }
            section = Section.DEADLOCK;
            links = new ArrayList<>();
            deadlockLine = n;
            linkThread = null;
            linkLock = null;
            return;
        }
        if (section == Section.DEADLOCK) {
            deadlockLine(line, n);
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
        if (inDump && (line.startsWith(SA_ATTACHING) || line.startsWith(SA_DEADLOCK_DETECTION))) {
            // the Serviceability Agent starts each of its dumps so: a file of several holds them one after another
            finishDump();
        }
        if (!inDump) {
            preamble(line);
            return;
        }
        if (line.startsWith("JNI global ref") || line.equals("Heap") || line.startsWith("Threads class SMR info")) {
            endThread();
            if (!closed && line.startsWith("JNI global ref")) {
                closed = true;
                closedDumps++;
            }
        }
    }

    /**
     * Where a thread's name ends: the last quote after which the line reads as a thread header. A
     * name may hold quotes itself ("Bad "name""), and a vendor's header may quote a field after the
     * name (user="NAME"): neither the first nor the last quote of the line is always the one.
     */
    static int closingQuote(String line) {
        for (int q = line.lastIndexOf('"'); q > 0; q = line.lastIndexOf('"', q - 1)) {
            if (isThreadHeader(line, q)) {
                return q;
            }
        }
        return line.lastIndexOf('"');
    }

    private static boolean isThreadHeader(String line, int close) {
        if (close + 1 >= line.length() || line.charAt(close + 1) != ' ') {
            return false;
        }
        // "prio=" for Java threads on every JDK; "tid=" also for VM threads; "nid=" for both.
        return line.indexOf(" tid=", close) > 0 || line.indexOf(" prio=", close) > 0;
    }

    private void preamble(String line) {
        Matcher m = JCMD_PID.matcher(line);
        if (m.matches()) {
            pendingPid = OptionalLong.of(Long.parseLong(m.group(1)));
            return;
        }
        m = PID_LINE.matcher(line);
        if (m.find()) {
            pendingPid = OptionalLong.of(Long.parseLong(m.group(1)));
            filePid = pendingPid;
            return;
        }
        if (line.startsWith(SA_VM_VERSION)) {
            pendingVersion = Optional.of(line.substring(SA_VM_VERSION.length()).strip());
            return;
        }
        m = TIMESTAMP.matcher(line);
        if (m.matches()) {
            try {
                pendingTime = Optional.of(LocalDateTime.parse(m.group(1) + "T" + m.group(2)).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException e) {
                // not a time after all
            }
        }
    }

    private void startDump(long n) {
        inDump = true;
        closed = false;
        headed = false;
        dumpLine = n;
        time = pendingTime;
        pid = pendingPid.isPresent() ? pendingPid : filePid;
        pendingPid = OptionalLong.empty();
        pendingTime = Optional.empty();
        vmVersion = pendingVersion;
        pendingVersion = Optional.empty();
        section = Section.THREADS;
    }

    private void threadInfoHeader(Matcher m, long n) {
        wholeDumpAfterAll();
        endThread();
        ThreadBuilder t = new ThreadBuilder(m.group(1), n);
        t.daemon = m.group(2) != null;
        t.javaId = parseLong(m.group(3));
        t.state = ThreadState.parse(m.group(4));
        t.threadInfo = true;
        if (m.group(5) != null && m.group(6) != null) {
            t.owner = m.group(6);
            t.ownerId = parseLong(m.group(7)).orElse(-1);
            t.ownerLock = ThreadMXBeanText.hashLock(m.group(5));
            t.ownerAt = SourceRef.line(file, n);
        }
        thread = t;
        carrier = null;
    }


    private void actuatorHeader(String name, OptionalLong id, long n) {
        wholeDumpAfterAll();
        endThread();
        ThreadBuilder t = new ThreadBuilder(name, n);
        t.javaId = id;
        t.actuator = true;
        thread = t;
        carrier = null;
    }

    /** A JDK 5-8 jstack -F thread: no name but its OS thread id, and the VM's state rather than Thread.State. */
    private void agentHeader(Matcher m, long n) {
        wholeDumpAfterAll();
        endThread();
        boolean mac = m.group(1) != null;
        ThreadBuilder t = new ThreadBuilder("Thread " + (mac ? "t@" : "") + m.group(2), n);
        if (!mac) {
            // the Linux LWP id, which jstack prints in hex as nid=
            t.nid = "0x" + Long.toHexString(Long.parseLong(m.group(2)));
        }
        String vmState = m.group(3);
        t.state = switch (vmState) {
            case "IN_JAVA", "IN_NATIVE", "IN_VM" -> ThreadState.RUNNABLE;
            case "NEW", "UNINITIALIZED" -> ThreadState.NEW;
            default -> ThreadState.UNKNOWN;
        };
        t.stateDetail = "the VM's state " + vmState;
        t.headerState = vmState.equals("BLOCKED")
                ? "the VM's state BLOCKED: sleeping, waiting, parked or entering a monitor (jstack -F does not say which)"
                : "the VM's state " + vmState;
        thread = t;
        carrier = null;
        agentHeaders = true;
    }

    private void header(String line, int close, long n) {
        wholeDumpAfterAll();
        endThread();
        ThreadBuilder t = new ThreadBuilder(line.substring(1, close), n);
        String rest = line.substring(close + 1);
        StringBuilder stateText = new StringBuilder();
        boolean afterTid = false;
        boolean inQuotedValue = false;
        for (String token : rest.split(" ")) {
            if (token.isEmpty()) {
                continue;
            }
            if (inQuotedValue) {
                inQuotedValue = !token.endsWith("\"");
                continue;
            }
            int eq = token.indexOf("=\"");
            if (eq > 0) {
                // a quoted field (user="a name"), which may hold spaces: none of it is the state
                inQuotedValue = token.indexOf('"', eq + 2) < 0;
                continue;
            }
            if (token.startsWith("[")) {
                // "[12345]" before tid is the OS thread id (JDK 19+); after it, the stack address
                if (!afterTid && token.endsWith("]")) {
                    t.nid = token.substring(1, token.length() - 1);
                }
                continue;
            }
            if (token.charAt(0) == '#' && token.length() > 1 && Character.isDigit(token.charAt(1))) {
                t.javaId = parseLong(token.substring(1));
            } else if (token.equals("daemon")) {
                t.daemon = true;
            } else if (token.startsWith("tid=")) {
                String tid = token.substring(4);
                if (!isZero(tid)) {
                    t.address = tid;
                    allAddressesZero = false;
                }
                afterTid = true;
            } else if (token.startsWith("nid=")) {
                if (!isZero(token.substring(4))) {
                    t.nid = token.substring(4);
                }
                afterTid = true;
            } else if (token.indexOf('=') > 0 && !afterTid) {
                // prio=, os_prio=, cpu=, elapsed=, allocated=, defined_classes=, lwp_id=
            } else if (token.indexOf('=') > 0) {
                // lwp_id= after nid= on HP-UX
            } else if (afterTid) {
                if (stateText.length() > 0) {
                    stateText.append(' ');
                }
                stateText.append(token);
            }
        }
        t.headerState = stateText.toString();
        thread = t;
        carrier = null;
    }

    private void mountedVirtualThread(String line, long n) {
        endPendingFrame();
        ThreadBuilder c = carrier != null ? carrier : thread;
        ThreadBuilder v = new ThreadBuilder("", n);
        v.javaId = parseLong(line.substring(MOUNTED.length()).strip());
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

    private int carrierSlot = -1;

    private void lockLine(String line, long n) {
        SourceRef at = SourceRef.line(file, n);
        if (thread.threadInfo) {
            threadInfoLockLine(line, at, n);
            return;
        }
        if (inOwnable) {
            // "- <0x...> (a java.util.concurrent.locks.ReentrantLock$NonfairSync)" or "- None"
            LockRef lock = parseLockRef(line, 2);
            if (lock != null) {
                ThreadBuilder owner = carrier != null ? carrier : thread;
                if (owner.owned == null) {
                    owner.owned = new ArrayList<>();
                }
                owner.owned.add(lock);
            }
            return;
        }
        if (line.startsWith(CLASS_INIT_WAIT)) {
            // JDK 17+: "- waiting on the Class initialization monitor for Scenario$Second"
            String cls = line.substring(CLASS_INIT_WAIT.length()).strip();
            sawLockLine = true;
            thread.lockAction(new LockAction(LockAction.Kind.WAITING_FOR_CLASS_INIT, LockKind.classInit(cls), at), n);
            return;
        }
        LockAction.Kind kind;
        int from;
        if (line.startsWith("- locked ")) {
            kind = LockAction.Kind.LOCKED;
            from = 9;
        } else if (line.startsWith("- waiting to lock ")) {
            kind = LockAction.Kind.WAITING_TO_LOCK;
            from = 18;
        } else if (line.startsWith("- waiting on ")) {
            kind = LockAction.Kind.WAITING_ON;
            from = 13;
        } else if (line.startsWith("- parking to wait for ")) {
            kind = LockAction.Kind.PARKING;
            from = 22;
        } else if (line.startsWith("- waiting to re-lock in wait() ")) {
            kind = LockAction.Kind.WAITING_TO_RELOCK;
            from = 31;
        } else if (line.startsWith("- eliminated ")) {
            kind = LockAction.Kind.ELIMINATED;
            from = 13;
        } else {
            int bci = line.indexOf(SA_BCI);
            if (bci > 2) {
                agentFrames = true;
                thread.agentFrame(ServiceabilityAgentText.frame(line, bci), line.indexOf("(Interpreted frame", bci) > 0, n);
            }
            return;
        }
        sawLockLine = true;
        LockRef lock = parseLockRef(line, from);
        visualvm |= lock != null && thread.actuator && line.indexOf('<', from) < 0;
        if (lock != null) {
            thread.lockAction(new LockAction(kind, lock, at), n);
            if (thread.actuator && kind == LockAction.Kind.WAITING_TO_LOCK) {
                ownedBy(line, lock, at);
            }
        }
    }

    private void threadInfoLockLine(String line, SourceRef at, long n) {
        if (inOwnable) {
            // "- java.util.concurrent.locks.ReentrantLock$NonfairSync@72fbdca1"
            thread.owned.add(ThreadMXBeanText.hashLock(line.substring(2).strip()));
            return;
        }
        LockAction.Kind kind;
        String rest;
        if (line.startsWith("-  blocked on ")) {
            kind = LockAction.Kind.WAITING_TO_LOCK;
            rest = line.substring(14);
        } else if (line.startsWith("-  waiting on ")) {
            kind = LockAction.Kind.WAITING_ON; // or parked: the thread's state and top frame tell, in build()
            rest = line.substring(14);
        } else if (line.startsWith("-  locked ")) {
            kind = LockAction.Kind.LOCKED;
            rest = line.substring(10);
        } else {
            return;
        }
        sawLockLine = true;
        thread.lockAction(new LockAction(kind, ThreadMXBeanText.hashLock(rest.strip()), at), n);
    }

    /** The actuator's {@code ... owned by "transfer-b-to-a" t@32}: kept until the thread's state says what the wait is. */
    private void ownedBy(String line, LockRef lock, SourceRef at) {
        int from = line.indexOf(") owned by \"");
        int to = line.lastIndexOf("\" t@");
        if (from < 0 || to < from + 12) {
            return;
        }
        thread.owner = line.substring(from + 12, to);
        thread.ownerId = parseLong(line.substring(to + 4).strip()).orElse(-1);
        thread.ownerLock = lock;
        thread.ownerAt = at;
    }



    /** {@code <0x000000069e37c2c0> (a java.lang.Object)}; null for "no object reference available". */
    static LockRef parseLockRef(String line, int from) {
        int lt = line.indexOf('<', from);
        int gt = lt < 0 ? -1 : line.indexOf('>', lt);
        if (gt < 0) {
            return classAtHash(line.substring(Math.min(from, line.length())));
        }
        String id = line.substring(lt + 1, gt);
        if (id.isEmpty() || id.indexOf(' ') >= 0) {
            return null;
        }
        int a = line.indexOf("(a ", gt);
        String cls = "?";
        if (a >= 0) {
            // the actuator's "<6e68b1a0> (a ...NonfairSync) owned by "transfer-b-to-a" t@32"
            int owned = line.indexOf(") owned by \"", a);
            int end = owned > 0 ? owned : line.lastIndexOf(')');
            cls = end > a ? line.substring(a + 3, end) : line.substring(a + 3);
            // "(a java.lang.Class for java.lang.String)" locks the class object of String
        }
        return new LockRef(id, ServiceabilityAgentText.binaryName(cls));
    }

    /**
     * VisualVM's lock, "java.io.BufferedInputStream@5284339c" (in the ownable list after "locked "):
     * the identity hash is its id, as in ThreadInfo's renderings. Null for anything else.
     */
    static LockRef classAtHash(String text) {
        String t = text.strip();
        if (t.startsWith("locked ")) {
            t = t.substring(7);
        }
        int space = t.indexOf(' ');
        String token = space < 0 ? t : t.substring(0, space);
        int at = token.lastIndexOf('@');
        if (at <= 0 || at == token.length() - 1 || !token.substring(at + 1).matches("[0-9a-f]+")) {
            return null;
        }
        return new LockRef(token.substring(at + 1), token.substring(0, at));
    }

    private void deadlockLine(String line, long n) {
        if (line.startsWith(DEADLOCK_STACKS)) {
            flushLink(n);
            finishDeadlock(n);
            // in a whole dump the stacks repeat threads already read; in an excerpt they are all there is
            section = excerpt ? Section.THREADS : Section.DEADLOCK_STACKS;
            return;
        }
        if (line.startsWith("Found ") || line.startsWith("=")) {
            if (line.startsWith("Found ")) {
                flushLink(n);
                finishDeadlock(n);
                section = Section.THREADS;
            }
            return;
        }
        if (line.startsWith(MONITOR_WAIT)) {
            Matcher m = OBJECT_IN_MONITOR.matcher(line);
            if (m.find()) {
                linkLock = new LockRef(m.group(1), m.group(2));
            } else {
                // "waiting to lock monitor 0x... (object ..." split oddly, or a monitor without object
                String addr = line.substring(MONITOR_WAIT.length()).split("[ ,]")[0];
                linkLock = new LockRef(addr, "?");
            }
            return;
        }
        if (line.startsWith(SA_MONITOR_WAIT)) {
            // the agent's "waiting to lock Monitor@0x... (Object@0x..., a Scenario$Register),"
            Matcher m = SA_OBJECT_IN_MONITOR.matcher(line);
            if (m.find()) {
                linkLock = new LockRef(m.group(1), ServiceabilityAgentText.binaryName(m.group(2)));
            }
            return;
        }
        if (line.startsWith(SYNCHRONIZER_WAIT)) {
            Matcher m = SYNCHRONIZER.matcher(line);
            if (m.find()) {
                linkLock = new LockRef(m.group(1), ServiceabilityAgentText.binaryName(m.group(2)));
            }
            return;
        }
        if (line.startsWith(HELD_BY) && linkThread != null && linkLock != null) {
            String holder = line.substring(HELD_BY.length()).strip();
            if (holder.startsWith("\"") && holder.lastIndexOf('"') > 0) {
                holder = holder.substring(1, holder.lastIndexOf('"'));
            }
            links.add(new ReportedDeadlock.Link(linkThread, linkLock, holder));
            linkThread = null;
            linkLock = null;
        }
    }

    private void flushLink(long n) {
        linkThread = null;
        linkLock = null;
    }

    private void finishDeadlock(long n) {
        if (links != null && !links.isEmpty()) {
            deadlocks.add(new ReportedDeadlock(links, SourceRef.line(file, deadlockLine)));
        }
        links = null;
    }

    private void endPendingFrame() {
        if (thread != null) {
            thread.endFrame();
        }
    }

    private void endThread() {
        inOwnable = false;
        if (thread == null) {
            return;
        }
        thread.endFrame();
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
            finishDeadlock(0);
        }
        inDump = false;
        excerpt = false;
        section = Section.THREADS;
        if (threads.isEmpty() && deadlocks.isEmpty()) {
            return;
        }
        dumpCount++;
        // A tool-made rendering (ThreadMXBean, no JavaThread addresses, no lock lines) shows no owners,
        // and neither does JDK 5-8 jstack -F, which prints no monitor lines at all.
        boolean rendered = (allAddressesZero && !sawLockLine) || agentHeaders;
        String format = jmxDemo ? "threadinfo-text" : agentHeaders ? "jstack-f" : agentFrames ? "jhsdb" : actuator ? (visualvm ? "visualvm-text" : "actuator-text")
                : threadInfo ? "threadinfo" : rendered ? "threadinfo-text" : "jstack";
        if (agentFrames) {
            ServiceabilityAgentText.anonymousOwners(threads);
        }
        if (threadInfo) {
            monitorsHeldPastTheEighthFrame(threads);
        }
        if (actuator || threadInfo) {
            unlistedOwners.addTo(threads);
        }
        String label = file + "#" + dumpCount;
        Snapshot s = new Snapshot(label, format, SourceRef.line(file, dumpLine), time,
                new JvmHints(pid, vmVersion, Optional.empty()), threads,
                rendered ? Visibility.NOT_SHOWN : Visibility.SHOWN,
                ownableListed ? Visibility.SHOWN : Visibility.NOT_SHOWN, deadlocks, List.of());
        threads.clear();
        deadlocks.clear();
        ownableListed = false;
        sawLockLine = false;
        allAddressesZero = true;
        agentFrames = false;
        agentHeaders = false;
        actuator = false;
        visualvm = false;
        jmxDemo = false;
        threadInfo = false;
        blockedOn.clear();
        truncatedThreads.clear();
        sink.accept(s);
    }

    private static boolean isZero(String hex) {
        String h = hex.startsWith("0x") ? hex.substring(2) : hex;
        for (int i = 0; i < h.length(); i++) {
            if (h.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }

    private static OptionalLong parseLong(String s) {
        try {
            return OptionalLong.of(Long.parseLong(s));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** A thread being read; turned into an immutable {@link JvmThread} when its lines end. */
    private final class ThreadBuilder {
        String name;
        final long line;
        OptionalLong javaId = OptionalLong.empty();
        String nid;
        String address;
        boolean daemon;
        boolean virtual;
        String carrier;
        ThreadState state = ThreadState.UNKNOWN;
        String stateDetail = "";
        String headerState = "";
        final List<Frame> frames = new ArrayList<>();
        List<LockRef> owned;
        /** frames as the Serviceability Agent prints them, and which of them are interpreted */
        boolean agentFrames;
        /** a thread of Spring Boot actuator's text, and the owner it names of the lock it waits for */
        boolean actuator;
        /** a thread of ThreadInfo.toString(), and whether its stack was cut at eight frames */
        boolean threadInfo;
        boolean truncated;
        String owner;
        long ownerId = -1;
        LockRef ownerLock;
        SourceRef ownerAt;
        private boolean frameInterpreted;
        private final java.util.BitSet interpretedFrames = new java.util.BitSet();
        private String frameText;
        private List<LockAction> frameLocks;

        ThreadBuilder(String name, long line) {
            this.name = name;
            this.line = line;
        }

        void frame(String text, long n) {
            endFrame();
            frameText = text;
        }

        void agentFrame(String text, boolean interpreted, long n) {
            frame(text, n);
            agentFrames = true;
            frameInterpreted = interpreted;
        }

        void lockAction(LockAction action, long n) {
            if (frameText == null) {
                // lock lines with no frame line above them: keep them on an unnamed frame
                frameText = "";
            }
            if (frameLocks == null) {
                frameLocks = new ArrayList<>(2);
            }
            frameLocks.add(action);
        }

        void endFrame() {
            if (frameText == null) {
                return;
            }
            if (frameInterpreted) {
                interpretedFrames.set(frames.size());
                frameInterpreted = false;
            }
            if (frameLocks == null) {
                Frame cached = frameCache.get(frameText);
                if (cached == null) {
                    if (frameCache.size() > 200_000) {
                        frameCache.clear();
                    }
                    cached = toFrame(frameText, List.of());
                    frameCache.put(frameText, cached);
                }
                frames.add(cached);
            } else {
                frames.add(toFrame(frameText, frameLocks));
            }
            frameText = null;
            frameLocks = null;
        }

        JvmThread build(int index) {
            endFrame();
            ThreadState s = state;
            String detail = stateDetail;
            if (s == ThreadState.UNKNOWN) {
                // JDK 1.4 and 5 print no Thread.State line: infer what matters from the header
                if (headerState.startsWith("waiting for monitor entry")) {
                    s = ThreadState.BLOCKED;
                } else if (headerState.startsWith("in Object.wait()")) {
                    s = ThreadState.WAITING;
                } else if (headerState.startsWith("runnable")) {
                    s = ThreadState.RUNNABLE;
                }
                detail = headerState;
            } else if ((s == ThreadState.WAITING || s == ThreadState.TIMED_WAITING) && detail.equals("(parking)")
                    && headerState.startsWith("runnable")) {
                // Thread.State still says parked, the OS thread says it runs: an unpark caught in flight
                detail = JvmThread.UNPARKED;
            }
            if (agentFrames) {
                ServiceabilityAgentText.monitorOrder(frames, interpretedFrames, s == ThreadState.BLOCKED && detail.startsWith("(on object monitor)"));
            }
            if (actuator && !frames.isEmpty() && frames.get(0).locks().isEmpty() && detail.startsWith("on ")) {
                // VisualVM names the lock in the state line only: "WAITING on org.netbeans...Worker@4c9692d7"
                LockAction.Kind kind = ThreadMXBeanText.waitKind(frames.get(0), s);
                LockRef onLock = classAtHash(detail.substring(3));
                if (kind != null && onLock != null) {
                    Frame top = frames.get(0);
                    frames.set(0, new Frame(top.method(), top.location(), List.of(new LockAction(kind, onLock, SourceRef.line(file, line)))));
                }
            }
            if ((actuator || threadInfo) && !frames.isEmpty()) {
                frames.set(0, ThreadMXBeanText.waitByState(frames.get(0), s));
                if (owner != null && !frames.get(0).locks().isEmpty() && frames.get(0).locks().get(0).kind() == LockAction.Kind.PARKING) {
                    unlistedOwners.parkedOn(ownerLock, ownerId, owner, ownerAt);
                }
            }
            if (threadInfo && owner != null && s == ThreadState.BLOCKED) {
                blockedOn.add(new BlockedOn(ownerId, ownerLock, ownerAt));
            }
            if (threadInfo && truncated) {
                truncatedThreads.add(javaId.orElse(-1));
            }
            return new JvmThread(index, name, javaId, Optional.ofNullable(nid), Optional.ofNullable(address), s,
                    detail, daemon, virtual, Optional.ofNullable(carrier), frames,
                    Optional.ofNullable(owned), SourceRef.line(file, line), true);
        }
    }






    /**
     * A monitor that a blocked thread's "owned by" names, held by a thread whose stack ThreadInfo
     * cut at eight frames without showing it: held in a frame it left out, shown as a frame "...".
     */
    private void monitorsHeldPastTheEighthFrame(List<JvmThread> threads) {
        for (BlockedOn b : blockedOn) {
            for (int i = 0; i < threads.size(); i++) {
                JvmThread t = threads.get(i);
                if (t == null || t.javaId().orElse(-2) != b.owner() || !truncatedThreads.contains(b.owner())) {
                    continue;
                }
                boolean shown = t.frames().stream().flatMap(f -> f.locks().stream())
                        .anyMatch(a -> a.kind() == LockAction.Kind.LOCKED && a.lock().id().equals(b.lock().id()));
                if (!shown) {
                    List<Frame> frames = new ArrayList<>(t.frames());
                    frames.add(new Frame("...", "", List.of(new LockAction(LockAction.Kind.LOCKED, b.lock(), b.at()))));
                    threads.set(i, t.withFrames(frames));
                }
            }
        }
    }

    static Frame toFrame(String text, List<LockAction> locks) {
        text = ThreadMXBeanText.withoutLoaderAndModule(text);
        int paren = text.indexOf('(');
        if (paren < 0 || !text.endsWith(")")) {
            return new Frame(text, "", locks);
        }
        return new Frame(text.substring(0, paren), text.substring(paren + 1, text.length() - 1), locks);
    }

}
