package io.lockscope.analyzer.threaddump;

import io.lockscope.model.Frame;
import io.lockscope.model.JvmThread;
import io.lockscope.model.LockAction;
import io.lockscope.model.LockRef;
import io.lockscope.model.SourceRef;
import io.lockscope.model.ThreadState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * What text renderings of ThreadMXBean's ThreadInfo print differently from HotSpot, one dump at a
 * time: {@code ThreadInfo.toString()} ({@code "name" prio=5 Id=12 WAITING on pkg.Lock@11fcc5c5
 * owned by "other" Id=13}, lock lines {@code -  blocked on}, at most eight frames), Spring Boot
 * actuator's and VisualVM's text ({@code "name" - Thread t@31}, "owned by" after the lock) and the
 * JDK 6 JMX demo ({@code "name" id=3149 in RUNNABLE}). Their waits are read from the thread's
 * state, and the owners they name but do not list are added as threads that ended.
 */
final class ThreadInfoText {

    /** After the name of an actuator's or VisualVM's thread: {@code "name" - Thread t@31}. */
    private static final String THREAD_T = " - Thread t@";
    /** Where ThreadInfo.toString() lists a thread's ownable synchronizers. */
    private static final String TO_STRING_SYNCHRONIZERS = "Number of locked synchronizers = ";
    /** Where the JMX demo lists them. */
    private static final String JMX_DEMO_SYNCHRONIZERS = "Locked synchronizers: count = ";

    private final String file;
    private final Map<String, Frame> frameCache;
    private final UnlistedOwners unlistedOwners = new UnlistedOwners();

    /** A thread blocked on a monitor and the owner its header names (ThreadInfo.toString()). */
    private record BlockedOn(long owner, LockRef lock, SourceRef at) {
    }

    private final List<BlockedOn> blockedOn = new ArrayList<>();
    private final Set<Long> truncatedThreads = new HashSet<>();

    ThreadInfoText(String file, Map<String, Frame> frameCache) {
        this.file = file;
        this.frameCache = frameCache;
    }

    /** The header of a ThreadInfo.toString() or JMX demo thread, in the dialect that prints it; null if the line is none. */
    TextThread header(String line, long n, TextDialect dialect) {
        if (dialect == TextDialect.THREADINFO && line.indexOf(" tid=") < 0 && line.indexOf(" Id=") > 0) {
            Matcher m = TextDialect.THREADINFO_LINE.matcher(line);
            if (m.find()) {
                return toStringHeader(m, n);
            }
        }
        if (dialect == TextDialect.THREADINFO_TEXT && line.indexOf(" tid=") < 0 && line.indexOf(" id=") > 0) {
            Matcher m = TextDialect.JMX_DEMO_LINE.matcher(line);
            if (m.matches()) {
                return jmxDemoHeader(m, n);
            }
        }
        return null;
    }

    /** A ThreadInfo.toString() header, matched by {@link TextDialect#THREADINFO_LINE}. */
    private TextThread toStringHeader(Matcher m, long n) {
        TextThread t = new TextThread(m.group(1), n, file, frameCache);
        t.daemon = m.group(2) != null;
        t.javaId = DumpLines.parseLong(m.group(3));
        t.state = ThreadState.parse(m.group(4));
        t.threadInfo = true;
        t.rendering = this;
        if (m.group(5) != null && m.group(6) != null) {
            t.owner = m.group(6);
            t.ownerId = DumpLines.parseLong(m.group(7)).orElse(-1);
            t.ownerLock = ThreadMXBeanText.hashLock(m.group(5));
            t.ownerAt = SourceRef.line(file, n);
        }
        return t;
    }

    /** A JMX demo header, matched by {@link TextDialect#JMX_DEMO_LINE}: its lock lines are HotSpot's. */
    private TextThread jmxDemoHeader(Matcher m, long n) {
        TextThread t = new TextThread(m.group(1), n, file, frameCache);
        t.javaId = DumpLines.parseLong(m.group(2));
        t.state = ThreadState.parse(m.group(3));
        t.stateDetail = m.group(4).strip();
        return t;
    }

    /** Whether the line opens the thread's list of ownable synchronizers, as a ThreadInfo rendering prints it. */
    static boolean startsOwnableList(String line, TextThread thread, TextDialect dialect) {
        return thread.threadInfo && line.startsWith(TO_STRING_SYNCHRONIZERS)
                || dialect == TextDialect.THREADINFO_TEXT && line.startsWith(JMX_DEMO_SYNCHRONIZERS);
    }

    /**
     * The actuator's or VisualVM's header {@code "name" - Thread t@31}, whose name's closing quote is
     * at {@code close}; null if the line goes on otherwise.
     */
    TextThread actuatorHeader(String line, int close, long n) {
        if (!line.startsWith(THREAD_T, close + 1)) {
            return null;
        }
        return actuatorHeader(line.substring(1, close), DumpLines.parseLong(line.substring(close + 1 + THREAD_T.length()).strip()), n);
    }

    /** The actuator's or VisualVM's header; some actuator versions print no " - Thread t@N". */
    TextThread actuatorHeader(String name, java.util.OptionalLong id, long n) {
        TextThread t = new TextThread(name, n, file, frameCache);
        t.javaId = id;
        t.actuator = true;
        t.rendering = this;
        return t;
    }

    /** A lock line of ThreadInfo.toString(): in the list of locked synchronizers, or under a frame. */
    void toStringLockLine(TextThread thread, String line, SourceRef at, boolean inOwnable) {
        if (inOwnable) {
            // "- java.util.concurrent.locks.ReentrantLock$NonfairSync@72fbdca1"
            thread.own(ThreadMXBeanText.hashLock(line.substring(2).strip()));
            return;
        }
        LockAction.Kind kind;
        String rest;
        if (line.startsWith("-  blocked on ")) {
            kind = LockAction.Kind.WAITING_TO_LOCK;
            rest = line.substring(14);
        } else if (line.startsWith("-  waiting on ")) {
            kind = LockAction.Kind.WAITING_ON; // or parked: the thread's state and top frame tell, in waits()
            rest = line.substring(14);
        } else if (line.startsWith("-  locked ")) {
            kind = LockAction.Kind.LOCKED;
            rest = line.substring(10);
        } else {
            return;
        }
        thread.lockAction(new LockAction(kind, ThreadMXBeanText.hashLock(rest.strip()), at));
    }

    /** The actuator's {@code ... owned by "transfer-b-to-a" t@32}: kept until the thread's state says what the wait is. */
    static void ownedBy(TextThread thread, String line, LockRef lock, SourceRef at) {
        int from = line.indexOf(") owned by \"");
        int to = line.lastIndexOf("\" t@");
        if (from < 0 || to < from + 12) {
            return;
        }
        thread.owner = line.substring(from + 12, to);
        thread.ownerId = DumpLines.parseLong(line.substring(to + 4).strip()).orElse(-1);
        thread.ownerLock = lock;
        thread.ownerAt = at;
    }

    /** The thread's wait, read from its state now that its lines have ended; the owner it names noted. */
    void waits(TextThread t, List<Frame> frames, ThreadState s, String detail, SourceRef headerAt) {
        if (t.actuator && !frames.isEmpty() && frames.get(0).locks().isEmpty() && detail.startsWith("on ")) {
            // VisualVM names the lock in the state line only: "WAITING on org.netbeans...Worker@4c9692d7"
            LockAction.Kind kind = ThreadMXBeanText.waitKind(frames.get(0), s);
            LockRef onLock = DumpLines.classAtHash(detail.substring(3));
            if (kind != null && onLock != null) {
                Frame top = frames.get(0);
                frames.set(0, new Frame(top.method(), top.location(), List.of(new LockAction(kind, onLock, headerAt))));
            }
        }
        if (!frames.isEmpty()) {
            frames.set(0, ThreadMXBeanText.waitByState(frames.get(0), s));
            if (t.owner != null && !frames.get(0).locks().isEmpty() && frames.get(0).locks().get(0).kind() == LockAction.Kind.PARKING) {
                unlistedOwners.parkedOn(t.ownerLock, t.ownerId, t.owner, t.ownerAt);
            }
        }
        if (t.threadInfo && t.owner != null && s == ThreadState.BLOCKED) {
            blockedOn.add(new BlockedOn(t.ownerId, t.ownerLock, t.ownerAt));
        }
        if (t.threadInfo && t.truncated) {
            truncatedThreads.add(t.javaId.orElse(-1));
        }
    }

    /** The dump's threads are all read: monitors held past the eighth frame, and owners it names but does not list. */
    void finish(List<JvmThread> threads) {
        monitorsHeldPastTheEighthFrame(threads);
        unlistedOwners.addTo(threads);
        blockedOn.clear();
        truncatedThreads.clear();
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
}
